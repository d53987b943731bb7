import { TabTuneError } from '../errors';
import { DTYPE_BYTES, numel, type DType, type RawTensor } from './rawTensor';

/**
 * The safetensors format: u64 little-endian header length N, N bytes of JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {…}}, then the data buffer.
 * Validation follows the reference implementation: offsets contiguous from 0 and in bounds,
 * shape × dtype size = byte length, and no bytes after the last tensor.
 */
const MAX_HEADER_BYTES = 100_000_000;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function fail(file: string, what: string): never {
  throw new TabTuneError(
    'safetensors',
    `${file} is not a valid safetensors file: ${what}. The file is truncated or corrupt; download it again.`,
  );
}

/** The header's JSON object and its length in bytes (after the 8-byte length field). */
function parseHeader(bytes: Uint8Array, file: string): { header: Record<string, unknown>; n: number } {
  if (bytes.byteLength < 8)
    fail(file, `it is ${bytes.byteLength} bytes long, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(MAX_HEADER_BYTES)) fail(file, `the header claims ${headerLen} bytes (over 100 MB)`);
  const n = Number(headerLen);
  if (8 + n > bytes.byteLength) {
    fail(file, `the header claims ${n} bytes but only ${bytes.byteLength - 8} follow the length field`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    fail(file, 'the header is not UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail(file, 'the header is not a JSON object');
  return { header: header as Record<string, unknown>, n };
}

/** The header's `__metadata__` (string keys to string values; empty when there is none). */
export function safetensorsMetadata(bytes: Uint8Array, file = 'model.safetensors'): Record<string, string> {
  const meta = parseHeader(bytes, file).header.__metadata__;
  if (meta === undefined) return {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    fail(file, '__metadata__ is not a JSON object');
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') fail(file, `__metadata__ "${k}" is not a string`);
  }
  return meta as Record<string, string>;
}

export function readSafetensors(bytes: Uint8Array, file = 'model.safetensors'): Map<string, RawTensor> {
  const { header, n } = parseHeader(bytes, file);
  const data = bytes.subarray(8 + n);
  const entries: Array<[string, HeaderEntry]> = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    entries.push([name, checkEntry(file, name, value)]);
  }
  entries.sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  const out = new Map<string, RawTensor>();
  let expectedStart = 0;
  for (const [name, e] of entries) {
    const [begin, end] = e.data_offsets;
    if (begin !== expectedStart) {
      fail(
        file,
        `tensor "${name}" starts at byte ${begin} but the previous tensor ends at ${expectedStart} (offsets must be contiguous)`,
      );
    }
    if (end < begin) fail(file, `tensor "${name}" ends (${end}) before it starts (${begin})`);
    if (end > data.byteLength)
      fail(file, `tensor "${name}" ends at byte ${end}, past the end of the data (${data.byteLength})`);
    const dtype = e.dtype as DType;
    const want = numel(e.shape) * DTYPE_BYTES[dtype];
    if (want !== end - begin) {
      fail(
        file,
        `tensor "${name}" has shape [${e.shape.join(', ')}] × ${dtype} = ${want} bytes, but its offsets span ${end - begin}`,
      );
    }
    out.set(name, { dtype, shape: e.shape, bytes: data.subarray(begin, end) });
    expectedStart = end;
  }
  if (expectedStart !== data.byteLength) {
    fail(file, `${data.byteLength - expectedStart} bytes follow the last tensor`);
  }
  return out;
}

function checkEntry(file: string, name: string, value: unknown): HeaderEntry {
  const v = value as Partial<HeaderEntry> | null;
  if (typeof v !== 'object' || v === null) fail(file, `header entry "${name}" is not an object`);
  if (typeof v.dtype !== 'string' || !(v.dtype in DTYPE_BYTES)) {
    fail(file, `tensor "${name}" has unknown dtype ${JSON.stringify(v.dtype)}`);
  }
  if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(file, `tensor "${name}" has an invalid shape ${JSON.stringify(v.shape)}`);
  }
  const off = v.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(file, `tensor "${name}" has invalid data_offsets ${JSON.stringify(off)}`);
  }
  return v as HeaderEntry;
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Writes F32 tensors, in the given order, with the header padded to 8 bytes as the reference does. */
export function writeSafetensors(
  tensors: readonly TensorToWrite[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.data.length !== numel(t.shape)) {
      throw new TabTuneError(
        'safetensors',
        `tensor "${t.name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`,
      );
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + i * 4, t.data[i] as number, true);
    pos += t.data.length * 4;
  }
  return out;
}
