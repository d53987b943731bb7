import { inflateSync } from 'fflate';
import { TabTuneError } from '../errors';

/*
 * Zip archives read without trusting them: a PyTorch checkpoint (pytorch_model.bin) and a TabTune export dropped
 * as a .zip. The central directory is read first (names, declared sizes, CRC-32s); an entry is inflated only when
 * asked for, only after its declared size was checked against what the caller needs, into a buffer of exactly that
 * size (the stream cannot grow it), and kept only when its length and CRC-32 match the directory. So an archive
 * that expands to gigabytes costs nothing for the entries nobody reads, is refused before any allocation for the
 * ones that claim more than they should, and one whose stream ends early (a buffer left as zeros) is refused
 * rather than loaded as wrong weights.
 */

/** One file of an archive, as its central directory declares it. */
export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  compressedSize: number;
  /** The size the entry declares once inflated. */
  size: number;
  crc: number;
  /** Where its local header starts. */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function damaged(file: string, why: string): never {
  throw new TabTuneError(
    'checkpoint',
    `${file} is a damaged zip archive (${why}). Download or export it again.`,
  );
}

/** The entries of a zip archive by name, from its central directory; nothing is inflated. */
export function zipEntries(bytes: Uint8Array, file: string): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--)
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) damaged(file, 'no end of central directory');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const locator = eocd - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_EOCD_LOCATOR) {
    const at = Number(view.getBigUint64(locator + 8, true));
    if (at + 56 > bytes.length || view.getUint32(at, true) !== ZIP64_EOCD)
      damaged(file, 'a bad zip64 record');
    count = Number(view.getBigUint64(at + 32, true));
    offset = Number(view.getBigUint64(at + 48, true));
  }
  const entries = new Map<string, ZipEntry>();
  for (let n = 0, p = offset; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL)
      damaged(file, 'a bad central directory');
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    const entry: ZipEntry = {
      name,
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    zip64Sizes(view, p + 46 + nameLength, extraLength, entry);
    entries.set(name, entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset too large for 32 bits are in the zip64 extra field (id 1), in this order, when marked 0xffffffff. */
function zip64Sizes(view: DataView, start: number, length: number, e: ZipEntry): void {
  for (let q = start; q + 4 <= start + length;) {
    const id = view.getUint16(q, true);
    const size = view.getUint16(q + 2, true);
    if (id === 1) {
      let r = q + 4;
      const next = () => {
        const v = Number(view.getBigUint64(r, true));
        r += 8;
        return v;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localOffset === 0xffffffff) e.localOffset = next();
    }
    q += 4 + size;
  }
}

/**
 * The bytes of `entry`, refused when it declares more than `maxBytes` (what the caller can need of it) and checked
 * once inflated: its length and CRC-32 must be the ones the directory declares.
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  file: string,
  maxBytes: number,
  what = `"${entry.name}"`,
): Uint8Array {
  if (entry.size > maxBytes)
    throw new TabTuneError(
      'checkpoint',
      `${file}: ${what} declares ${entry.size.toLocaleString('en-US')} bytes once unpacked, more than the ${maxBytes.toLocaleString('en-US')} it can need: the archive is not a checkpoint TabTune made or can trust (it may be a zip bomb). Download or export it again.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL)
    damaged(file, `no local header for "${entry.name}"`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const compressed = bytes.subarray(start, start + entry.compressedSize);
  if (compressed.length !== entry.compressedSize) damaged(file, `"${entry.name}" is cut short`);
  let out: Uint8Array;
  if (entry.method === 0) out = compressed.slice();
  else if (entry.method === 8) {
    try {
      out = inflateSync(compressed, { out: new Uint8Array(entry.size) });
    } catch (e) {
      damaged(file, `"${entry.name}" does not inflate: ${(e as Error).message}`);
    }
  } else
    damaged(
      file,
      `"${entry.name}" uses compression method ${entry.method}, which zip readers rarely support`,
    );
  if (out.length !== entry.size || crc32(out) !== entry.crc)
    damaged(
      file,
      `"${entry.name}" does not unpack to the bytes its directory declares (length or CRC-32 differs)`,
    );
  return out;
}

let table: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zip uses). */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
