import { TabTuneError } from '../errors';
import { parseBertConfig } from '../model/config';
import { parameterCount } from '../model/memory';
import { inflateEntry, zipEntries } from './zip';

/*
 * A model dropped as one .zip (a TabTune export, a Hugging Face folder zipped, a PEFT adapter): only the files a
 * loader reads are unpacked, each within what such a file can weigh, so a zip bomb costs nothing for entries
 * nobody reads and is refused before it is inflated otherwise.
 */

/** The files `loadCheckpoint` and the adapter loader read; anything else in the archive stays packed. */
const READ = new Set([
  'config.json',
  'tokenizer_config.json',
  'tokenizer.json',
  'vocab.txt',
  'special_tokens_map.json',
  'model.safetensors',
  'pytorch_model.bin',
  'adapter_config.json',
  'adapter_model.safetensors',
]);
const WEIGHTS = new Set(['model.safetensors', 'pytorch_model.bin']);

/** Configuration and tokenizer files: a 250k-token tokenizer.json is about 20 MB. */
const MAX_TEXT_BYTES = 64 << 20;
/** A LoRA adapter: BERT-large at rank 64 on every linear layer is about 100 MB. */
const MAX_ADAPTER_BYTES = 256 << 20;

/**
 * The most a weights file of this config can weigh: float32 for every parameter, twice over (a pretrained checkpoint
 * also carries its pre-training heads), plus 16 MB. Without a readable config, 4 GB (what a browser tab can hold).
 */
export function maxWeightsBytes(configBytes: Uint8Array | undefined): number {
  if (configBytes) {
    try {
      const config = parseBertConfig(JSON.parse(new TextDecoder().decode(configBytes)));
      return parameterCount(config, 16) * 4 * 2 + (16 << 20);
    } catch {
      // the loader will say what is wrong with config.json
    }
  }
  return 4 * 2 ** 30;
}

/** The files of a dropped archive that a loader reads, by their path in it (folders kept). */
export function readArchive(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new TabTuneError(
      'checkpoint',
      `${file} is not a readable zip archive. Export the model from TabTune again.`,
    );
  const wanted = [...zipEntries(bytes, file).values()].filter(
    (e) => !e.name.endsWith('/') && READ.has(e.name.split('/').pop()!),
  );
  const base = (name: string) => name.split('/').pop()!;
  const out = new Map<string, Uint8Array>();
  const config = wanted.find((e) => base(e.name) === 'config.json');
  if (config) out.set(config.name, inflateEntry(bytes, config, file, MAX_TEXT_BYTES));
  const weightsLimit = maxWeightsBytes(config && out.get(config.name));
  for (const e of wanted) {
    if (e === config) continue;
    const name = base(e.name);
    const limit = WEIGHTS.has(name)
      ? weightsLimit
      : name === 'adapter_model.safetensors'
        ? MAX_ADAPTER_BYTES
        : MAX_TEXT_BYTES;
    out.set(e.name, inflateEntry(bytes, e, file, limit));
  }
  return out;
}
