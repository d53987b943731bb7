import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;

/** Runs `code` (an ES module) in a fresh Node, where no test setup has registered anything; returns its JSON. */
function fresh(code: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe("TabTune's kernels are registered when a backend starts, never by an import", () => {
  it('importing the model registers nothing, and leaves TF.js’s WASM Identity alone; chooseBackend registers them', () => {
    const r = fresh(`
      import * as tf from '@tensorflow/tfjs';
      import '@tensorflow/tfjs-backend-wasm';
      import { SequenceClassifier } from './src/core/model/classifier.ts';
      import { ADAMW } from './src/core/kernelRegistry.ts';
      import { chooseBackend } from './src/core/backend.ts';
      void SequenceClassifier;
      const identity = tf.getKernel('Identity', 'wasm')?.kernelFunc;
      const before = { adamw: tf.getKernel(ADAMW, 'wasm') !== undefined, gelu: tf.getKernel('TabTuneGelu', 'webgpu') !== undefined };
      tf.env().set('PROD', true);
      await chooseBackend(['wasm']);
      const after = { adamw: tf.getKernel(ADAMW, 'wasm') !== undefined, gelu: tf.getKernel('TabTuneGelu', 'webgpu') !== undefined };
      console.log(JSON.stringify({ before, after, identityReplaced: tf.getKernel('Identity', 'wasm')?.kernelFunc !== identity }));
    `);
    expect(r).toEqual({
      before: { adamw: false, gelu: false },
      after: { adamw: true, gelu: true },
      identityReplaced: true,
    });
  }, 60_000);
});
