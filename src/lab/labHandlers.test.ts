import { describe, expect, it } from 'vitest';
import { Session } from '../worker/session';
import { labHandlers } from './labHandlers';

describe("the lab's Worker: the lab's calls beside the studio's", () => {
  it("answers the test hooks and the studio's calls on one session", async () => {
    const session = new Session(undefined, undefined, labHandlers);
    const ask = (type: string, params: unknown = {}) => session.handle({ type, params }, () => undefined);
    await ask('init', { backends: ['wasm'] });
    await expect(ask('loseDevice')).resolves.toBeNull();
    await expect(ask('gpuError')).resolves.toBeNull();
    await expect(ask('savedRun')).resolves.toBeNull();
  });
});
