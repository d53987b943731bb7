import { TabTuneError } from '../errors';
import { CsvReader, type CsvSink } from './csv';
import { ChunkDecoder, NotUtf8, sniffEncoding, type TextEncodingName } from './decode';

/** Bytes read by range: a browser `File`/`Blob` (backed by disk, never read whole) or a file in Node. */
export interface ByteSource {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}

export interface StreamOptions {
  /** Bytes read at a time (default 4 MiB). */
  chunkBytes?: number;
  /** Characters of text parsed at a time (tests make it small to cut at every record). */
  pieceChars?: number;
  /** After each chunk: bytes read so far of the total. */
  progress?(read: number, total: number): void;
  /** Aborted: reading ends before its next chunk with an error naming the file. */
  signal?: AbortSignal;
}

export interface StreamedCsv {
  encoding: TextEncodingName;
  /** How the bytes were read (an encoding other than UTF-8), before the header's own warnings. */
  warnings: string[];
}

/**
 * Reads a CSV file chunk by chunk into `sink` — the same rows, lines, malformed records and warnings as
 * `readCsvBytes` on the whole file, with memory bounded by the chunk size. Bytes that turn out not to be UTF-8
 * are read again from the start as Windows-1252, into a fresh sink (`makeSink` is called once per pass).
 */
export async function streamCsv(
  source: ByteSource,
  file: string,
  makeSink: () => CsvSink,
  options: StreamOptions = {},
): Promise<StreamedCsv> {
  const head = await readOrExplain(source, 0, Math.min(source.size, 4096), file);
  const encoding = sniffEncoding(head, file);
  try {
    return await pass(source, file, makeSink(), new ChunkDecoder(file, encoding), options);
  } catch (e) {
    if (!(e instanceof NotUtf8)) throw e;
    return pass(source, file, makeSink(), new ChunkDecoder(file, 'windows-1252', e.line), options);
  }
}

async function pass(
  source: ByteSource,
  file: string,
  sink: CsvSink,
  decoder: ChunkDecoder,
  options: StreamOptions,
): Promise<StreamedCsv> {
  const chunkBytes = options.chunkBytes ?? 4 << 20;
  const reader = new CsvReader(file, sink, options.pieceChars);
  for (let at = 0; at < source.size; at += chunkBytes) {
    if (options.signal?.aborted)
      throw new TabTuneError('data', `Reading ${file} was stopped; choose it again to read it.`);
    const end = Math.min(source.size, at + chunkBytes);
    reader.push(decoder.decode(await readOrExplain(source, at, end, file), end === source.size));
    options.progress?.(end, source.size);
  }
  if (source.size === 0) reader.push(decoder.decode(new Uint8Array(0), true));
  reader.end();
  return { encoding: decoder.encoding, warnings: decoder.warnings };
}

/** A file that can no longer be read (moved, deleted or edited since it was chosen) gets a message, not a DOMException. */
async function readOrExplain(
  source: ByteSource,
  start: number,
  end: number,
  file: string,
): Promise<Uint8Array> {
  try {
    return await source.read(start, end);
  } catch (e) {
    throw new TabTuneError(
      'data',
      `${file} can no longer be read (${e instanceof Error ? e.message : String(e)}): it was moved, deleted or changed since it was chosen. Choose it again.`,
    );
  }
}
