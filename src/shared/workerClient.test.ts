import { describe, expect, it } from 'vitest';
import type { PageMessage, WorkerMessage } from '../shared/protocol';
import { WorkerClient } from './workerClient';

/** A Worker stand-in: what the page posted, and a way to answer as the Worker would. */
function fakeWorker() {
  const sent: PageMessage[] = [];
  const w = {
    onmessage: null as ((e: MessageEvent<WorkerMessage>) => void) | null,
    onerror: null,
    postMessage: (m: PageMessage) => sent.push(m),
    terminate: () => undefined,
  };
  const answer = (m: WorkerMessage) => w.onmessage!({ data: m } as MessageEvent<WorkerMessage>);
  return { client: new WorkerClient(w as unknown as Worker), sent, answer };
}

describe('WorkerClient: a call is cancelled by aborting its signal, the one way to cancel', () => {
  it('aborting the signal tells the Worker which call to stop; the call still ends with the Worker’s answer', async () => {
    const { client, sent, answer } = fakeWorker();
    const stop = new AbortController();
    const events: string[] = [];
    const call = client.call(
      'profile',
      { roles: { text: 't', pair: null, label: 'l' }, rowLimit: null, seed: 1 },
      {
        signal: stop.signal,
        onEvent: (e) => events.push(e.type),
      },
    );
    client.call('history', {}); // another call, not aborted
    stop.abort();
    expect(sent.map((m) => [m.type, m.id])).toEqual([
      ['profile', 1],
      ['history', 2],
      ['abort', 1],
    ]);
    answer({ type: 'event', id: 1, event: { type: 'reading', read: 1, total: 2 } });
    answer({ type: 'error', id: 1, error: { kind: 'data', message: 'Reading f.csv was stopped' } });
    await expect(call).rejects.toThrow('Reading f.csv was stopped');
    expect(events).toEqual(['reading']);
  });

  it('a signal aborted before the call is sent cancels it at once; one aborted after the answer sends nothing', async () => {
    const { client, sent, answer } = fakeWorker();
    const done = new AbortController();
    done.abort();
    void client.call('history', {}, { signal: done.signal }).catch(() => undefined);
    expect(sent.map((m) => m.type)).toEqual(['history', 'abort']);
    const later = new AbortController();
    const call = client.call('savedRun', {}, { signal: later.signal });
    answer({ type: 'reply', id: 2, reply: null });
    await expect(call).resolves.toBeNull();
    later.abort();
    expect(sent.map((m) => m.type)).toEqual(['history', 'abort', 'savedRun']);
  });
});
