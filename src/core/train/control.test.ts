import { describe, expect, it } from 'vitest';
import { PauseGate } from './control';

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  return done;
};

describe('PauseGate: work waits at a closed gate, not polling', () => {
  it('passes at once while open', async () => {
    expect(await settled(new PauseGate().pass())).toBe(true);
  });

  it('holds while closed and lets the waiter through when opened', async () => {
    const gate = new PauseGate();
    gate.close();
    expect(gate.paused).toBe(true);
    const waiting = gate.pass();
    expect(await settled(waiting)).toBe(false);
    gate.open();
    expect(gate.paused).toBe(false);
    expect(await settled(waiting)).toBe(true);
  });

  it('lets the waiter through when its signal aborts (Stop while paused), the gate still closed', async () => {
    const gate = new PauseGate();
    const stop = new AbortController();
    gate.close();
    const waiting = gate.pass(stop.signal);
    expect(await settled(waiting)).toBe(false);
    stop.abort();
    expect(await settled(waiting)).toBe(true);
    expect(gate.paused).toBe(true);
    expect(await settled(gate.pass(stop.signal))).toBe(true);
  });

  it('closing twice needs one open', async () => {
    const gate = new PauseGate();
    gate.close();
    gate.close();
    const waiting = gate.pass();
    gate.open();
    expect(await settled(waiting)).toBe(true);
  });
});
