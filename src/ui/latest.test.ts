import { describe, expect, it } from 'vitest';
import { Latest, replaced } from './latest';

describe('Latest: the last request asked wins, by aborting the ones before', () => {
  it('an earlier request is aborted as replaced by a later one; the later one stands', () => {
    const files = new Latest();
    const first = files.ask();
    expect(first.aborted).toBe(false);
    const second = files.ask();
    expect(replaced(first)).toBe(true);
    expect(second.aborted).toBe(false);
    expect(files.count).toBe(2);
  });

  it("a new file aborts the profile of the old one (it names it as dependent); profiles don't abort files", () => {
    const files = new Latest();
    const profiles = new Latest();
    const file = files.ask();
    const profile = profiles.ask();
    expect(profile.aborted).toBe(false);
    files.ask(profiles); // another file chosen: the profile of the old one must not be shown
    expect(replaced(file)).toBe(true);
    expect(replaced(profile)).toBe(true);
    const again = profiles.ask();
    expect(again.aborted).toBe(false);
  });

  it('stop aborts the request under way, and not as replaced (its "stopped" message is shown)', () => {
    const files = new Latest();
    const read = files.ask();
    files.stop();
    expect(read.aborted).toBe(true);
    expect(replaced(read)).toBe(false);
  });
});
