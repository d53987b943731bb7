// npm run big-file — what a large CSV costs the studio's Worker: the file is read in chunks (the same code the
// Worker runs, here in Node over a file handle), keeping an index and its first rows; the rows a run uses are read
// again, by column and row limit, and tokenized into typed arrays. Prints time, peak and retained heap and
// resident memory per phase, beside reading the file whole (the old way). Nothing is asserted (the unit tests check
// that a streamed read equals a whole one).
//   npm run big-file -- [--rows 1000000] [--out /tmp/reviews-1m.csv] [--sample 100000]
//     [--source ../shared/fixtures/womens-clothing-reviews.csv] [--vocab ../shared/fixtures/wordpiece-vocab-uncased.txt]
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseCsv, readCsvBytes } from '../src/core/data/csv';
import { writeCsv } from '../src/core/data/csvWrite';
import type { ByteSource } from '../src/core/data/csvStream';
import { indexCsv, readRows } from '../src/core/data/tableIndex';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';
import { EncodedRows } from '../src/core/tokenizer/encodedRows';

const { values: v } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    out: { type: 'string', default: '/tmp/reviews-1m.csv' },
    sample: { type: 'string', default: '100000' },
    source: { type: 'string', default: '../shared/fixtures/womens-clothing-reviews.csv' },
    vocab: { type: 'string', default: '../shared/fixtures/wordpiece-vocab-uncased.txt' },
    whole: { type: 'boolean', default: true },
  },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with node --expose-gc (npm run big-file does).');
const MB = (n: number) => Math.round(n / 2 ** 20);

/** The source file's rows, repeated (with a fresh first-column id) up to --rows. */
async function makeFile(path: string, rows: number): Promise<void> {
  const src = parseCsv(readFileSync(v.source!, 'utf8'), v.source!);
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(writeCsv({ fields: src.columns, data: [] }));
  for (let i = 0; i < rows; i += 1000) {
    const data = [];
    for (let k = i; k < Math.min(rows, i + 1000); k++) {
      const r = src.rows[k % src.rows.length]!;
      data.push(src.columns.map((c, j) => (j === 0 ? String(k) : r.values[c]!)));
    }
    await write(writeCsv({ fields: src.columns, data }).split('\n').slice(1).join('\n'));
  }
  await new Promise<void>((r) => out.end(r));
}

async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path);
  return {
    size: statSync(path).size,
    read: async (start, end) => {
      const buf = new Uint8Array(end - start);
      await handle.read(buf, 0, buf.length, start);
      return buf;
    },
  };
}

/** Runs one phase, sampling heap and RSS every 20 ms; retained = after a full GC, with the result still held. */
async function phase<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  gc!();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t0 = performance.now();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  gc!();
  const after = process.memoryUsage();
  console.log(
    JSON.stringify({
      phase: name,
      seconds: Number(seconds.toFixed(1)),
      peakHeapMB: MB(peakHeap),
      peakRssMB: MB(peakRss),
      retainedHeapMB: MB(after.heapUsed + after.arrayBuffers),
      rssMB: MB(after.rss),
    }),
  );
  return result;
}

const rows = Number(v.rows);
if (!existsSync(v.out!)) await phase(`write ${rows} rows to ${v.out}`, () => makeFile(v.out!, rows));
const size = statSync(v.out!).size;
console.log(JSON.stringify({ file: v.out, rows, sizeMB: MB(size) }));
const source = await fileSource(v.out!);
const index = await phase('read in chunks: index', () => indexCsv(source, v.out!));
console.log(
  JSON.stringify({ count: index.count, malformed: index.malformed.length, head: index.head.length }),
);
const tokenizer = BertTokenizer.fromVocab(readFileSync(v.vocab!, 'utf8'), { do_lower_case: true });
const columns = ['Review Text', 'Title', 'Rating'];
const asExamples = (t: { rows: Array<{ values: Record<string, string> }> }) =>
  t.rows.map((r) => ({ text: r.values['Review Text']!, pair: r.values.Title! }));
const sample = await phase(`read again: ${v.sample} random rows, 3 columns`, () =>
  readRows(index, source, columns, { rows: Number(v.sample), pick: 'random' }, 42),
);
const sampleTokens = await phase(`tokenize ${v.sample} rows (max length 128)`, () =>
  EncodedRows.encode(tokenizer, asExamples(sample), 128),
);
console.log(JSON.stringify({ sampleTokenMB: MB(sampleTokens.bytes) }));
const all = await phase('read again: every row, 3 columns', () => readRows(index, source, columns, null, 42));
const allTokens = await phase('tokenize every row (max length 128)', () =>
  EncodedRows.encode(tokenizer, asExamples(all), 128),
);
console.log(JSON.stringify({ allTokenMB: MB(allTokens.bytes), rows: all.rows.length }));
if (v.whole) {
  // Synchronous, so only its retained memory is measured (the sampling timer cannot run during it).
  const whole = await phase('for comparison: the whole file read at once (readCsvBytes), all columns', () =>
    readCsvBytes(readFileSync(v.out!), v.out!),
  );
  console.log(JSON.stringify({ wholeRows: whole.rows.length }));
}
