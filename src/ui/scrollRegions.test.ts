import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// What scrolls inside the page is a ScrollRegion (named, focusable, scrolled by keyboard; components/ScrollRegion.tsx),
// which the e2e accessibility check makes overflow on purpose: no other rule or inline style makes a box scroll.
const ui = new URL('./', import.meta.url).pathname;

describe('scrolling inside the page', () => {
  it('only .scroll-region sets overflow to auto or scroll in the stylesheet', () => {
    const css = readFileSync(`${ui}styles.css`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const scrolling = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)]
      .filter(([, , body]) => /overflow(-[xy])?\s*:\s*(auto|scroll)/.test(body ?? ''))
      .map(([, selector]) => selector!.trim());
    expect(scrolling).toEqual(['.scroll-region']);
  });

  it('no component scrolls by an inline style', () => {
    const files = readdirSync(`${ui}components`).filter((f) => f.endsWith('.tsx'));
    for (const f of [...files.map((f) => `components/${f}`), 'App.tsx'])
      expect(readFileSync(`${ui}${f}`, 'utf8'), f).not.toMatch(/overflow[XY]?\s*:\s*['"](auto|scroll)/);
  });
});
