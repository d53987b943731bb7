import { TabTuneError } from '../errors';
import { parseBertConfig, type BertConfig } from '../model/config';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { BertTokenizerConfig } from '../tokenizer/tokenizerJson';
import { mapCheckpoint, type LoadReport } from './names';
import type { HostTensor, RawTensor } from './rawTensor';
import { readSafetensors } from './safetensors';
import type { CheckpointSource, DownloadProgress } from './source';
import { readTorchBin } from './torchBin';

export interface LoadedCheckpoint {
  source: string;
  config: BertConfig;
  /** config.json as found, kept so that an export can carry every field forward. */
  rawConfig: Record<string, unknown>;
  tokenizer: BertTokenizer;
  tokenizerConfig: BertTokenizerConfig;
  /** The files the tokenizer was built from, to ship with an export. */
  tokenizerFiles: Map<string, Uint8Array>;
  weights: Map<string, HostTensor>;
  weightsFile: string;
  report: LoadReport;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function parseJson(bytes: Uint8Array, file: string, source: string): unknown {
  try {
    return JSON.parse(text(bytes));
  } catch {
    throw new TabTuneError(
      'config',
      `${file} from ${source} is not valid JSON. Download the checkpoint again.`,
    );
  }
}

/**
 * Loads config, tokenizer and weights from any source: config.json; tokenizer.json, else vocab.txt
 * (+ tokenizer_config.json); model.safetensors, else pytorch_model.bin.
 */
export async function loadCheckpoint(
  source: CheckpointSource,
  onProgress?: (p: DownloadProgress) => void,
): Promise<LoadedCheckpoint> {
  const where = source.description;
  const configBytes = await source.read('config.json', onProgress);
  if (!configBytes) {
    throw new TabTuneError(
      'checkpoint',
      `${where} has no config.json. A Hugging Face checkpoint needs config.json next to its weights.`,
    );
  }
  const rawConfig = parseJson(configBytes, 'config.json', where) as Record<string, unknown>;
  const config = parseBertConfig(rawConfig, `config.json (${where})`);

  const tokConfigBytes = await source.read('tokenizer_config.json', onProgress);
  const tokenizerConfig = (
    tokConfigBytes ? parseJson(tokConfigBytes, 'tokenizer_config.json', where) : {}
  ) as BertTokenizerConfig;
  const tokenizerFiles = new Map<string, Uint8Array>();
  if (tokConfigBytes) tokenizerFiles.set('tokenizer_config.json', tokConfigBytes);
  let tokenizer: BertTokenizer;
  const tokJson = await source.read('tokenizer.json', onProgress);
  if (tokJson) {
    tokenizer = BertTokenizer.fromTokenizerJson(parseJson(tokJson, 'tokenizer.json', where), tokenizerConfig);
    tokenizerFiles.set('tokenizer.json', tokJson);
  } else {
    const vocab = await source.read('vocab.txt', onProgress);
    if (!vocab) {
      throw new TabTuneError(
        'tokenizer',
        `${where} has neither tokenizer.json nor vocab.txt. Add the tokenizer files of the checkpoint.`,
      );
    }
    tokenizer = BertTokenizer.fromVocab(text(vocab), tokenizerConfig, `vocab.txt (${where})`);
    tokenizerFiles.set('vocab.txt', vocab);
  }
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new TabTuneError(
      'checkpoint',
      `${where}: the tokenizer has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocab_size}. The tokenizer does not belong to these weights.`,
    );
  }

  let raw: Map<string, RawTensor>;
  let weightsFile = 'model.safetensors';
  const st = await source.read(weightsFile, onProgress);
  if (st) {
    raw = readSafetensors(st, `${weightsFile} (${where})`);
  } else {
    weightsFile = 'pytorch_model.bin';
    const bin = await source.read(weightsFile, onProgress);
    if (!bin) {
      throw new TabTuneError(
        'checkpoint',
        `${where} has neither model.safetensors nor pytorch_model.bin. TabTune needs one of them (sharded checkpoints are not supported).`,
      );
    }
    raw = readTorchBin(bin, `${weightsFile} (${where})`);
  }
  const { weights, report } = mapCheckpoint(raw, config, `${weightsFile} (${where})`);
  return {
    source: where,
    config,
    rawConfig,
    tokenizer,
    tokenizerConfig,
    tokenizerFiles,
    weights,
    weightsFile,
    report,
  };
}
