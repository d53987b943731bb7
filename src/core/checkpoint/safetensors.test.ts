import { describe, expect, it } from 'vitest';
import { toFloat32 } from './rawTensor';
import { readSafetensors, writeSafetensors } from './safetensors';

function build(header: object, data: Uint8Array, headerLen?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors round trip', () => {
  it('writes what it reads, with an 8-byte aligned header', () => {
    const bytes = writeSafetensors(
      [
        { name: 'a', shape: [2, 2], data: new Float32Array([1, -2, 3.5, 1e-8]) },
        { name: 'b', shape: [3], data: new Float32Array([0, 1, 2]) },
      ],
      { format: 'pt' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const t = readSafetensors(bytes);
    expect([...t.keys()]).toEqual(['a', 'b']);
    expect(Array.from(toFloat32(t.get('a')!, 'a', 'f'))).toEqual([1, -2, 3.5, Math.fround(1e-8)]);
    expect(t.get('b')!.shape).toEqual([3]);
  });

  it('reads F16 and BF16 as float32, from unaligned offsets', () => {
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff; BF16: 1.0 = 0x3f80, -0.5 = 0xbf00
    const data = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x80, 0x3f, 0x00, 0xbf]);
    const header = {
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
    };
    // A header of odd length makes the data start at an odd byte: reads must not assume alignment.
    const bytes = build(header, data);
    const t = readSafetensors(bytes);
    expect(Array.from(toFloat32(t.get('h')!, 'h', 'f'))).toEqual([1, -2, 65504]);
    expect(Array.from(toFloat32(t.get('b')!, 'b', 'f'))).toEqual([1, -0.5]);
  });

  it('refuses an integer tensor where weights are expected', () => {
    const t = readSafetensors(
      build({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
    );
    expect(() => toFloat32(t.get('ids')!, 'ids', 'model.safetensors')).toThrow(/tensor "ids" has dtype I64/);
  });
});

describe('safetensors validation (each names the problem and the file)', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['shorter than 8 bytes', new Uint8Array(5), /5 bytes long/],
    ['header longer than the file', build(ok, new Uint8Array(8), 10_000), /header claims 10000 bytes/],
    ['header over 100 MB', build(ok, new Uint8Array(8), 200_000_000), /over 100 MB/],
    [
      'header not JSON',
      (() => {
        const b = build(ok, new Uint8Array(8));
        b[8] = 0x41;
        return b;
      })(),
      /not UTF-8 JSON/,
    ],
    ['header a JSON array', build([1, 2], new Uint8Array(0)), /not a JSON object/],
    [
      'unknown dtype',
      build({ a: { dtype: 'F8', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)),
      /unknown dtype "F8"/,
    ],
    [
      'bad shape',
      build({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /invalid shape/,
    ],
    [
      'bad offsets',
      build({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)),
      /invalid data_offsets/,
    ],
    [
      'offset past the data',
      build({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)),
      /past the end of the data/,
    ],
    [
      'size ≠ shape × dtype',
      build({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /= 12 bytes, but its offsets span 8/,
    ],
    [
      'a gap between tensors',
      build(
        {
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
        },
        new Uint8Array(12),
      ),
      /starts at byte 8 but the previous tensor ends at 4/,
    ],
    [
      'overlapping tensors',
      build(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        new Uint8Array(8),
      ),
      /not a valid safetensors file/,
    ],
    ['trailing bytes', build(ok, new Uint8Array(12)), /4 bytes follow the last tensor/],
    ['a truncated file', build(ok, new Uint8Array(8)).subarray(0, 20), /header claims|past the end/],
  ];
  it.each(cases)('%s', (_label, bytes, message) => {
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(message);
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(/model.safetensors.*download it again/);
  });
});
