import { TabTuneError } from '../errors';

/**
 * Where a checkpoint's files come from. Every source — the Hugging Face Hub, a local folder (Node),
 * files dropped in the browser — answers the same question, so loading has one code path.
 */
export interface CheckpointSource {
  /** Shown to the user: "huggingface.co/google/bert_uncased_L-2_H-128_A-2 (main)", "folder ./ckpt". */
  readonly description: string;
  /** The file's bytes, or null when the source has no such file. */
  read(file: string, onProgress?: (p: DownloadProgress) => void): Promise<Uint8Array | null>;
}

export interface DownloadProgress {
  file: string;
  loaded: number;
  /** null when the server did not say. */
  total: number | null;
  /** True when the file came from the browser's cache, not the network. */
  cached?: boolean;
}

export const HF_HOST = 'https://huggingface.co';

export function hubFileUrl(modelId: string, revision: string, file: string): string {
  return `${HF_HOST}/${modelId}/resolve/${encodeURIComponent(revision)}/${file}`;
}

/** Where downloaded files are kept between visits (Cache Storage in the browser). */
export interface FileCache {
  get(url: string): Promise<Uint8Array | null>;
  put(url: string, bytes: Uint8Array): Promise<void>;
}

const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/** A model on the Hugging Face Hub, read over fetch (browser and Node 20). */
export function hubSource(
  modelId: string,
  revision = 'main',
  fetchImpl: typeof fetch = fetch,
  cache: FileCache | null = null,
): CheckpointSource {
  if (!MODEL_ID.test(modelId)) {
    throw new TabTuneError(
      'usage',
      `"${modelId}" is not a Hugging Face model id. Use the form owner/name, e.g. google/bert_uncased_L-2_H-128_A-2.`,
    );
  }
  const description = `huggingface.co/${modelId} (${revision})`;
  return {
    description,
    async read(file, onProgress) {
      const url = hubFileUrl(modelId, revision, file);
      const cached = await cache?.get(url).catch(() => null);
      if (cached) {
        onProgress?.({ file, loaded: cached.byteLength, total: cached.byteLength, cached: true });
        return cached;
      }
      let res: Response;
      try {
        res = await fetchImpl(url);
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw cancelled(modelId, file);
        throw new TabTuneError(
          'network',
          `Could not reach huggingface.co for ${modelId}/${file} (${(e as Error).message}). Check the connection, or load the checkpoint from a local folder.`,
        );
      }
      if (res.status === 404) return null;
      if (res.status === 401 || res.status === 403) {
        throw new TabTuneError(
          'network',
          `huggingface.co refused ${modelId}/${file} (HTTP ${res.status}): the model does not exist, is private or gated. Check the model id and revision "${revision}".`,
        );
      }
      if (!res.ok) {
        throw new TabTuneError(
          'network',
          `huggingface.co answered HTTP ${res.status} for ${modelId}/${file}. Try again later.`,
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = await readBody(res, file, onProgress);
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw cancelled(modelId, file);
        throw new TabTuneError(
          'network',
          `The download of ${modelId}/${file} broke off (${(e as Error).message}). Nothing was cached; try again.`,
        );
      }
      // Only complete files are cached: a failed or cancelled download leaves nothing behind.
      await cache?.put(url, bytes).catch(() => undefined);
      return bytes;
    },
  };
}

function cancelled(modelId: string, file: string): TabTuneError {
  return new TabTuneError('network', `The download of ${modelId}/${file} was cancelled. Nothing was cached.`);
}

async function readBody(
  res: Response,
  file: string,
  onProgress?: (p: DownloadProgress) => void,
): Promise<Uint8Array> {
  const header = res.headers.get('content-length');
  const total = header === null ? null : Number(header);
  if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ file, loaded, total });
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * What dropped files are called: one file by its name (a zip), a dropped folder as "folder <its name>" (its
 * files' paths all start with it), anything else "dropped files".
 */
export function droppedDescription(paths: readonly string[]): string {
  if (paths.length === 1) return paths[0] as string;
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0] : '')));
  const [top] = tops;
  return tops.size === 1 && top ? `folder ${top}` : 'dropped files';
}

/** Files already in memory: dropped in the browser, unzipped from an export, or built by tests. */
export function filesSource(files: Map<string, Uint8Array>, description = 'dropped files'): CheckpointSource {
  // Dropped folders give paths like "my-model/config.json": match on the file name.
  const byName = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) byName.set(path.split('/').pop() as string, bytes);
  return {
    description,
    async read(file) {
      return byName.get(file) ?? null;
    },
  };
}
