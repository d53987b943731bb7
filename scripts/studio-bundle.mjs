// Checks that the studio's production build holds no lab code: every file index.html loads, directly or through
// the chunks and Worker scripts those load, is neither a lab page's chunk nor the lab's Worker, and holds none of the
// lab's calls or test hooks. Run after `npm run build`: node scripts/studio-bundle.mjs [dist]. Exits 1 naming each trace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The lab's pages' entry chunks and its Worker, by the name Vite gives their files. */
export const LAB_FILES = /^(bench|checks|onnx|test|lab\.worker)-[\w-]+\.js$/;
/** Names only the lab's code holds: the test hooks' window object and the lab Worker's calls. */
export const LAB_WORDS = ['tabtuneTest', 'loseDevice', 'gpuError', 'runBenchmark'];

/** The assets `entry` loads, followed through every file that names another (imports, preloads, Worker URLs). */
export function reachable(entryText, assets, read) {
  const seen = new Set();
  const queue = [entryText];
  while (queue.length > 0) {
    const text = queue.pop();
    for (const name of assets)
      if (!seen.has(name) && text.includes(name)) {
        seen.add(name);
        queue.push(read(name));
      }
  }
  return [...seen].sort();
}

/** Each lab trace among `files`: a lab file, or a lab word in a file. */
export function labTraces(files, read) {
  return files.flatMap((name) => [
    ...(LAB_FILES.test(name) ? [`${name} is the lab's`] : []),
    ...LAB_WORDS.filter((w) => read(name).includes(w)).map((w) => `${name} holds "${w}"`),
  ]);
}

function main(dist) {
  const html = join(dist, 'index.html');
  if (!existsSync(html)) {
    console.error(`${html} does not exist: run npm run build first.`);
    process.exit(1);
  }
  const dir = join(dist, 'assets');
  const assets = readdirSync(dir).filter((n) => n.endsWith('.js'));
  const read = (name) => readFileSync(join(dir, name), 'utf8');
  const files = reachable(readFileSync(html, 'utf8'), assets, read);
  const traces = labTraces(files, read);
  if (files.length === 0 || traces.length > 0) {
    console.error(files.length === 0 ? 'index.html loads no script' : traces.join('\n'));
    process.exit(1);
  }
  console.log(`The studio's page loads ${files.length} scripts, none of them the lab's: ${files.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv[2] ?? 'dist');
