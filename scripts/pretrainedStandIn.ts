import { EncodedRows } from '../src/core/tokenizer/encodedRows';
// The stand-in for a downloaded checkpoint in the measuring scripts (npm run fidelity, npm run sweep): a
// BERT-tiny-shaped model pretrained with masked-language modelling (scripts/reference/mlm_pretrain.py, PyTorch)
// on the reviews the run does not use, with the 30k WordPiece vocabulary. Made once into the cache folder.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderSource } from '../src/cli/folderSource';
import { loadCheckpoint, type LoadedCheckpoint } from '../src/core/checkpoint/load';
import type { CsvTable } from '../src/core/data/csv';
import { buildDataset, type ColumnRoles } from '../src/core/data/dataset';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';
import { PYTHON } from './torchPeer';

export interface StandInRequest {
  /** The whole file; the rows after the first `rows` are the pretraining corpus. */
  full: CsvTable;
  rows: number;
  roles: ColumnRoles;
  csv: string;
  vocab: string;
  cache: string;
  maxLength: number;
  steps: string;
}

export async function pretrainedStandIn(r: StandInRequest): Promise<LoadedCheckpoint> {
  const dir = join(r.cache, `mlm-tiny-${r.maxLength}`);
  if (!existsSync(join(dir, 'model.safetensors'))) {
    const vocabText = readFileSync(r.vocab, 'utf8');
    const tokenizer = BertTokenizer.fromVocab(vocabText, { do_lower_case: true }, r.vocab);
    const rest = buildDataset({ ...r.full, rows: r.full.rows.slice(r.rows) }, r.roles, r.csv).examples;
    const enc = EncodedRows.encode(tokenizer, rest, r.maxLength);
    const ids = join(r.cache, 'mlm-ids.json');
    const idOf = (token: string) => vocabText.split('\n').indexOf(token); // vocab.txt: line i is token id i
    const special = ['[CLS]', '[SEP]', '[PAD]', '[UNK]', '[MASK]'].map(idOf);
    writeFileSync(
      ids,
      JSON.stringify({
        ids: enc.toArray().map((e) => e.inputIds),
        vocabSize: tokenizer.vocabSize,
        maskId: idOf('[MASK]'),
        special,
      }),
    );
    process.stderr.write(`pretraining a tiny BERT (masked LM) on ${rest.length} reviews…\n`);
    execFileSync(PYTHON, ['scripts/reference/mlm_pretrain.py', ids, r.vocab, dir, '--steps', r.steps], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  return loadCheckpoint(folderSource(dir));
}
