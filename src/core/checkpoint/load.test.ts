import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from './load';
import { readSafetensors, writeSafetensors } from './safetensors';
import { toFloat32 } from './rawTensor';
import { filesSource, hubFileUrl, hubSource } from './source';

const dir = (name: string) => new URL(`../../../test-fixtures/models/${name}/`, import.meta.url).pathname;
function files(name: string): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  for (const f of readdirSync(dir(name)))
    if (f !== 'golden.json') m.set(f, new Uint8Array(readFileSync(dir(name) + f)));
  return m;
}

/** A fetch that serves `files` at their Hugging Face URLs and 404s the rest, recording requests. */
function fakeHub(id: string, served: Map<string, Uint8Array>) {
  const requested: string[] = [];
  const impl = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    for (const [f, bytes] of served)
      if (url === hubFileUrl(id, 'main', f)) return new Response(bytes as BodyInit);
    return new Response('Entry not found', { status: 404 });
  }) as typeof fetch;
  return { impl, requested };
}

describe('loadCheckpoint from the Hub (fetch intercepted)', () => {
  it('prefers model.safetensors and reads vocab.txt when there is no tokenizer.json', async () => {
    const hub = fakeHub('test/st', files('st-gelu'));
    const ckpt = await loadCheckpoint(hubSource('test/st', 'main', hub.impl));
    expect(ckpt.weightsFile).toBe('model.safetensors');
    expect(ckpt.tokenizerFiles.has('vocab.txt')).toBe(true);
    expect(hub.requested).not.toContain(hubFileUrl('test/st', 'main', 'pytorch_model.bin'));
    expect(ckpt.source).toBe('huggingface.co/test/st (main)');
  });

  it('falls back to pytorch_model.bin', async () => {
    const hub = fakeHub('test/bin', files('bin-gelu-new-legacy'));
    const ckpt = await loadCheckpoint(hubSource('test/bin', 'main', hub.impl));
    expect(ckpt.weightsFile).toBe('pytorch_model.bin');
    expect(ckpt.config.hidden_act).toBe('gelu_new');
  });

  it('reports progress while downloading', async () => {
    const hub = fakeHub('test/st', files('st-gelu'));
    const seen: string[] = [];
    await loadCheckpoint(hubSource('test/st', 'main', hub.impl), (p) => seen.push(p.file));
    expect(seen).toContain('model.safetensors');
  });

  it('says plainly when huggingface.co cannot be reached', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(
      loadCheckpoint(hubSource('google/bert_uncased_L-2_H-128_A-2', 'main', offline)),
    ).rejects.toThrow(
      /Could not reach huggingface.co for google\/bert_uncased_L-2_H-128_A-2\/config.json \(fetch failed\)/,
    );
  });

  it('says plainly when the model does not exist or is private', async () => {
    const denied = (async () => new Response('', { status: 401 })) as typeof fetch;
    await expect(loadCheckpoint(hubSource('nobody/nothing', 'main', denied))).rejects.toThrow(
      /does not exist, is private or gated/,
    );
  });

  it('rejects something that is not a model id', () => {
    expect(() => hubSource('not a model id!')).toThrow(/is not a Hugging Face model id/);
  });
});

describe('loadCheckpoint errors name the file and the fix', () => {
  const without = (name: string, ...drop: string[]) => {
    const f = files(name);
    for (const d of drop) f.delete(d);
    return filesSource(f, 'test folder');
  };
  it('no config.json', async () => {
    await expect(loadCheckpoint(without('st-gelu', 'config.json'))).rejects.toThrow(
      /test folder has no config.json/,
    );
  });
  it('no weights', async () => {
    await expect(loadCheckpoint(without('st-gelu', 'model.safetensors'))).rejects.toThrow(
      /neither model.safetensors nor pytorch_model.bin/,
    );
  });
  it('no tokenizer', async () => {
    await expect(loadCheckpoint(without('st-gelu', 'vocab.txt'))).rejects.toThrow(
      /neither tokenizer.json nor vocab.txt/,
    );
  });
  it('a config with an unknown activation', async () => {
    const f = files('st-gelu');
    f.set('config.json', new TextEncoder().encode(JSON.stringify({ hidden_act: 'mish' })));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      /config.json.*hidden_act "mish" is not supported/,
    );
  });
  it('a config that is not JSON', async () => {
    const f = files('st-gelu');
    f.set('config.json', new TextEncoder().encode('{oops'));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      /config.json from dropped files is not valid JSON/,
    );
  });
  it('weights that do not match config.json', async () => {
    const f = files('st-gelu');
    const cfg = JSON.parse(new TextDecoder().decode(f.get('config.json')));
    f.set('config.json', new TextEncoder().encode(JSON.stringify({ ...cfg, intermediate_size: 48 })));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      /tensor "bert.encoder.layer.0.intermediate.dense.weight" has shape \[32, 16\] but config.json implies \[48, 16\]/,
    );
  });
  it('a checkpoint with fewer layers than config.json', async () => {
    const f = files('st-gelu');
    const cfg = JSON.parse(new TextDecoder().decode(f.get('config.json')));
    f.set('config.json', new TextEncoder().encode(JSON.stringify({ ...cfg, num_hidden_layers: 3 })));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      /lacks 16 BERT weight\(s\): encoder.layer.2/,
    );
  });
  it('a truncated model.safetensors', async () => {
    const f = files('st-gelu');
    f.set('model.safetensors', f.get('model.safetensors')!.subarray(0, 5000));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      /model.safetensors \(dropped files\) is not a valid safetensors file/,
    );
  });
  it('a checkpoint without a pooler loads, with the pooler initialized and reported', async () => {
    const f = files('st-gelu');
    const raw = readSafetensors(f.get('model.safetensors')!);
    const kept = [...raw].filter(([k]) => !k.includes('pooler') && raw.get(k)!.dtype !== 'I64');
    f.set(
      'model.safetensors',
      writeSafetensors(kept.map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t, name, 'f') }))),
    );
    const ckpt = await loadCheckpoint(filesSource(f));
    expect(ckpt.report.initialized).toEqual(['pooler.dense.weight', 'pooler.dense.bias']);
  });
  it('a tensor given twice (with and without bert.)', async () => {
    const f = files('st-gelu');
    const raw = readSafetensors(f.get('model.safetensors')!);
    const list = [...raw]
      .filter(([, t]) => t.dtype === 'F32')
      .map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t, name, 'f') }));
    const dup = list.find((t) => t.name === 'bert.pooler.dense.bias')!;
    list.push({ ...dup, name: 'pooler.dense.bias' });
    f.set('model.safetensors', writeSafetensors(list));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(/"pooler.dense.bias" appears twice/);
  });
  it('a tokenizer bigger than the embedding table', async () => {
    const f = files('st-gelu');
    const cfg = JSON.parse(new TextDecoder().decode(f.get('config.json')));
    const vocab = new TextDecoder().decode(f.get('vocab.txt')) + 'extra1\nextra2\n';
    f.set('vocab.txt', new TextEncoder().encode(vocab));
    await expect(loadCheckpoint(filesSource(f))).rejects.toThrow(
      new RegExp(`${cfg.vocab_size + 2} tokens but config.json says vocab_size ${cfg.vocab_size}`),
    );
  });
});

describe('hubSource with a cache', () => {
  const memoryCache = () => {
    const m = new Map<string, Uint8Array>();
    return {
      m,
      cache: {
        get: async (u: string) => m.get(u) ?? null,
        put: async (u: string, b: Uint8Array) => void m.set(u, b),
      },
    };
  };
  it('downloads once, then reads from the cache', async () => {
    const hub = fakeHub('test/st', files('st-gelu'));
    const { m, cache } = memoryCache();
    await loadCheckpoint(hubSource('test/st', 'main', hub.impl, cache));
    const first = hub.requested.length;
    expect(m.has(hubFileUrl('test/st', 'main', 'model.safetensors'))).toBe(true);
    await loadCheckpoint(hubSource('test/st', 'main', hub.impl, cache));
    // Only the files the Hub 404s (never cached) are asked for again.
    expect(hub.requested.length - first).toBe(hub.requested.filter((u) => !m.has(u)).length / 2);
  });
  it('caches nothing from a download that breaks off', async () => {
    const { m, cache } = memoryCache();
    const broken = (async () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array([1, 2, 3]));
            c.error(new Error('connection reset'));
          },
        }),
      )) as typeof fetch;
    await expect(hubSource('test/st', 'main', broken, cache).read('config.json', () => {})).rejects.toThrow(
      /The download of test\/st\/config.json broke off \(connection reset\). Nothing was cached; try again./,
    );
    expect(m.size).toBe(0);
  });
});
