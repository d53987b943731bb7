import { describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import type { PageMessage, WorkerMessage } from '../shared/protocol';
import { dispatcher } from './dispatch';
import { Session } from './session';

/** The Worker's message loop over a fresh session: what it posts back, and a wait for a call's answer. */
function worker() {
  const posted: WorkerMessage[] = [];
  const waiting = new Map<number, (m: WorkerMessage) => void>();
  const dispatch = dispatcher(new Session(), (m) => {
    posted.push(m);
    if (m.type !== 'event') waiting.get(m.id)?.(m);
  });
  const answer = (id: number) => new Promise<WorkerMessage>((r) => waiting.set(id, r));
  return { send: (m: PageMessage) => dispatch(m), posted, answer };
}

const big = () => new Blob([new TextEncoder().encode(sampleCsv(3000, 4))]);

describe("the Worker's message loop: every call answered under its id, each cancelled by its own abort", () => {
  it('an abort for a call stops that call only; the other call is answered', async () => {
    const w = worker();
    const first = w.answer(1);
    const second = w.answer(2);
    w.send({ type: 'table', id: 1, params: { file: 'a.csv', blob: big() } });
    w.send({ type: 'table', id: 2, params: { file: 'b.csv', blob: big() } });
    w.send({ type: 'abort', id: 1 });
    expect(await first).toMatchObject({
      type: 'error',
      error: { kind: 'data', message: 'Reading a.csv was stopped; choose it again to read it.' },
    });
    expect(await second).toMatchObject({ type: 'reply', reply: { file: 'b.csv', rows: 3000 } });
  });

  it('an abort for a call that already ended (or never was) changes nothing', async () => {
    const w = worker();
    const read = w.answer(1);
    w.send({ type: 'table', id: 1, params: { file: 'a.csv', blob: big() } });
    expect((await read).type).toBe('reply');
    w.send({ type: 'abort', id: 1 });
    w.send({ type: 'abort', id: 99 });
    const again = w.answer(2);
    w.send({
      type: 'profile',
      id: 2,
      params: { roles: { text: 'review', pair: null, label: 'rating' }, rowLimit: null, seed: 1 },
    });
    expect(await again).toMatchObject({ type: 'reply' });
  });
});
