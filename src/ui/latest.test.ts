import { describe, expect, it } from 'vitest';
import { Latest } from './latest';

describe('Latest: the last request asked wins', () => {
  it('an earlier request is replaced by a later one, whatever order the answers come in', () => {
    const files = new Latest();
    const first = files.ask();
    expect(first.replaced()).toBe(false);
    const second = files.ask();
    expect(first.replaced()).toBe(true);
    expect(second.replaced()).toBe(false);
    expect(files.count).toBe(2);
  });

  it('a request is replaced when one it depends on is asked again (a profile of a file since replaced)', () => {
    const files = new Latest();
    const profiles = new Latest();
    files.ask();
    const profile = profiles.ask(files);
    expect(profile.replaced()).toBe(false);
    files.ask(); // another file chosen: the profile of the old one must not be shown
    expect(profile.replaced()).toBe(true);
    const again = profiles.ask(files);
    expect(again.replaced()).toBe(false);
  });
});
