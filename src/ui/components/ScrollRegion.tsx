import type { ReactNode } from 'react';

interface Props {
  /** What the region holds, as a screen reader announces it (and tests find it). */
  label: string;
  /** 'code': text kept to a height; 'wide': a table as wide as it needs; 'rows': a long table kept to a height. */
  kind: 'code' | 'wide' | 'rows';
  children: ReactNode;
}

/**
 * Content that may scroll inside the page (code, raw output, a wide table): a named region a keyboard can focus and
 * scroll, whatever the fonts make of its size (WCAG 2.1.1, axe's scrollable-region-focusable). Every such place in
 * the studio is one of these: the e2e accessibility check makes them all overflow on purpose (e2e/a11y.ts).
 */
export function ScrollRegion({ label, kind, children }: Props) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`scroll-region ${kind}`}>
      {children}
    </div>
  );
}
