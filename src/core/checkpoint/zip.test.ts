import { deflateSync, strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArchive } from './archive';
import { readTorchBin } from './torchBin';
import { crc32, inflateEntry, zipEntries } from './zip';

const fixtures = new URL('../../../test-fixtures/models/', import.meta.url).pathname;
const bin = () => new Uint8Array(readFileSync(`${fixtures}bin-gelu-new-legacy/pytorch_model.bin`));

/** An entry for `zipOf`: its bytes, and what the directory should claim about them (to make lying archives). */
interface Entry {
  name: string;
  data: Uint8Array;
  /** The deflate stream written; default: `data` deflated. */
  stream?: Uint8Array;
  size?: number;
  crc?: number;
}

/** A zip archive, deflated, whose directory says what each entry claims (by default the truth). */
function zipOf(entries: Entry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = strToU8(e.name);
    const stream = e.stream ?? deflateSync(e.data);
    const crc = e.crc ?? crc32(e.data);
    const size = e.size ?? e.data.length;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, 8, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, stream.length, true);
    local.setUint32(22, Math.min(size, 0xffffffff), true);
    local.setUint16(26, name.length, true);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(4, 20, true);
    dir.setUint16(6, 20, true);
    dir.setUint16(10, 8, true);
    dir.setUint32(16, crc, true);
    dir.setUint32(20, stream.length, true);
    dir.setUint32(24, Math.min(size, 0xffffffff), true);
    dir.setUint16(28, name.length, true);
    dir.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, stream);
    central.push(new Uint8Array(dir.buffer), name);
    offset += 30 + name.length + stream.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) out.set(p, (at += p.length) - p.length);
  return out;
}

/** The fixture's entries, with `change` applied to each (to plant one bad entry). */
function rebuilt(change: (e: Entry) => Entry = (e) => e, extra: Entry[] = []): Uint8Array {
  const entries = Object.entries(unzipSync(bin())).map(([name, data]) => change({ name, data }));
  return zipOf([...entries, ...extra]);
}

const storageOf = (name: string) => /\/data\/\d+$/.test(name);
const megabytes = () => process.memoryUsage().arrayBuffers / 2 ** 20;

describe('zip archives read without trusting them', () => {
  it('reads what zip writers write: the directory, then an entry checked by length and CRC-32', () => {
    const archive = zipSync({ 'a/config.json': strToU8('{"x":1}'), 'b.txt': new Uint8Array(1000) });
    const entries = zipEntries(archive, 'x.zip');
    expect([...entries.keys()]).toEqual(['a/config.json', 'b.txt']);
    expect(new TextDecoder().decode(inflateEntry(archive, entries.get('a/config.json')!, 'x.zip', 100))).toBe(
      '{"x":1}',
    );
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926); // the standard check value
  });

  it('a checkpoint rebuilt by this writer loads exactly as the original', () => {
    const a = readTorchBin(bin());
    const b = readTorchBin(rebuilt());
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, t] of a) expect(b.get(k)!.bytes).toEqual(t.bytes);
  });

  it('an unused entry that claims 2.5 GB is never inflated: the checkpoint loads, memory stays put', () => {
    const before = megabytes();
    const bomb = {
      name: 'archive/extra/huge',
      data: new Uint8Array(0),
      stream: deflateSync(new Uint8Array(4096)),
      size: 2.5e9,
    };
    const tensors = readTorchBin(rebuilt(undefined, [bomb]));
    expect(tensors.size).toBeGreaterThan(0);
    expect(megabytes() - before).toBeLessThan(100);
  });

  it('a storage that claims far more than its tensor reaches is refused before it is inflated', () => {
    const before = megabytes();
    const bomb = rebuilt((e) => (storageOf(e.name) && e.name.endsWith('/0') ? { ...e, size: 4e9 } : e));
    expect(() => readTorchBin(bomb)).toThrow(
      /tensor ".+"'s storage declares 4,000,000,000 bytes once unpacked, more than the [\d,]+ it can need: .*zip bomb/,
    );
    expect(megabytes() - before).toBeLessThan(100);
  });

  it('a storage whose stream ends early (the rest left as zeros) is refused, not loaded as wrong weights', () => {
    const short = rebuilt((e) =>
      storageOf(e.name) && e.name.endsWith('/0')
        ? { ...e, stream: deflateSync(e.data.subarray(0, e.data.length / 2)) }
        : e,
    );
    expect(() => readTorchBin(short)).toThrow(/does not unpack to the bytes its directory declares/);
  });

  it('a storage whose bytes differ from its CRC-32 is refused', () => {
    const flipped = rebuilt((e) => {
      if (!storageOf(e.name) || !e.name.endsWith('/0')) return e;
      const data = e.data.slice();
      data[3]! ^= 0xff;
      return { ...e, stream: deflateSync(data), crc: crc32(e.data) };
    });
    expect(() => readTorchBin(flipped)).toThrow(
      /"pytorch_model\/data\/0" does not unpack to the bytes its directory/,
    );
  });
});

describe('a dropped model archive', () => {
  const config = readFileSync(`${fixtures}st-gelu/config.json`);
  const weights = readFileSync(`${fixtures}st-gelu/model.safetensors`);

  it('unpacks only the files a loader reads, whatever else the archive claims to hold', () => {
    const before = megabytes();
    const archive = zipOf([
      { name: 'tabtune-model/config.json', data: config },
      { name: 'tabtune-model/model.safetensors', data: weights },
      {
        name: 'tabtune-model/README.md',
        data: new Uint8Array(0),
        stream: deflateSync(new Uint8Array(10)),
        size: 3e9,
      },
    ]);
    const files = readArchive(archive, 'tabtune-model.zip');
    expect([...files.keys()]).toEqual(['tabtune-model/config.json', 'tabtune-model/model.safetensors']);
    expect(files.get('tabtune-model/model.safetensors')).toEqual(new Uint8Array(weights));
    expect(megabytes() - before).toBeLessThan(100);
  });

  it('refuses weights that claim more than the config can weigh, naming both', () => {
    const archive = zipOf([
      { name: 'config.json', data: config },
      { name: 'model.safetensors', data: weights, size: 2 ** 31 },
    ]);
    expect(() => readArchive(archive, 'm.zip')).toThrow(
      /^m\.zip: "model\.safetensors" declares 2,147,483,648 bytes once unpacked, more than the [\d,]+ it can need/,
    );
  });

  it('says a file that is not a zip is not one', () => {
    expect(() => readArchive(strToU8('hello'), 'm.zip')).toThrow('m.zip is not a readable zip archive.');
  });
});
