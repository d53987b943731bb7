import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Fonts larger and wider than any machine's default, a narrower column, and each ScrollRegion smaller than its
 * content: every scrolling place then overflows, so the checks below do not depend on the fonts of the machine the tests run on. A font that fits on one
 * machine can overflow on another (Debian's default fonts in a fresh container did), and so can a reader's zoom.
 */
const LARGE_FONTS = `
  html { font-size: 200% !important; }
  body, body * { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace !important; letter-spacing: 0.05em; }
  main, #root { max-width: 60rem !important; }
  .scroll-region { max-width: 24rem !important; max-height: 8rem !important; }
`;

/**
 * Text wider than any default sans font (a monospace one, spaced out): what a layout must still fit in to leave a
 * margin for another machine's fonts or a reader's settings.
 */
const WIDE_FONTS = `
  body, body * { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace !important; letter-spacing: 0.02em; }
`;

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    );
}

/** Runs `body` with `css` added to the page, then takes it away: the page as it was. */
async function withStyle<T>(page: Page, css: string, body: () => Promise<T>): Promise<T> {
  const style = await page.addStyleTag({ content: css });
  try {
    return await body();
  } finally {
    await style.evaluate((node) => (node as Element).remove());
  }
}

/** Runs `body` with the page in LARGE_FONTS, then puts the page back as it was. */
export function withLargeFonts<T>(page: Page, body: () => Promise<T>): Promise<T> {
  return withStyle(page, LARGE_FONTS, body);
}

/** Runs `body` with the page in WIDE_FONTS (its charts given a moment to follow), then puts the page back. */
export function withWideFonts<T>(page: Page, body: () => Promise<T>): Promise<T> {
  return withStyle(page, WIDE_FONTS, async () => {
    await page.waitForTimeout(300);
    return body();
  });
}

/**
 * axe-core on the page as it is now, and again with LARGE_FONTS: no serious or critical WCAG 2.1 A/AA violation
 * either way. `step` names where the new user is, so a failure says which screen broke it.
 */
export async function expectAccessible(page: Page, step: string): Promise<void> {
  expect({ step, serious: await seriousViolations(page) }).toEqual({ step, serious: [] });
  const large = `${step}, with large fonts`;
  const serious = await withLargeFonts(page, () => seriousViolations(page));
  expect({ step: large, serious }).toEqual({ step: large, serious: [] });
}

/** Whether the region named `label` holds more than it shows (it would scroll). */
export function overflows(page: Page, label: string): Promise<boolean> {
  return page
    .getByRole('region', { name: label })
    .evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
}
