import { inProcess } from './testCli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { takeBackendFlag } from './backend';

const tmp = mkdtempSync(join(tmpdir(), 'tabtune-backend-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = inProcess;

describe('cli --backend', () => {
  it('is taken out of any command’s arguments, in either form, and checked', () => {
    expect(takeBackendFlag(['train', '--backend', 'cpu', '--epochs', '2'])).toEqual([
      'train',
      '--epochs',
      '2',
    ]);
    expect(takeBackendFlag(['predict', '--backend=wasm'])).toEqual(['predict']);
    expect(() => takeBackendFlag(['train', '--backend', 'gpu'])).toThrow(
      '--backend takes one of auto, wasm, cpu, webgpu (got "gpu").',
    );
    expect(() => takeBackendFlag(['train', '--backend'])).toThrow('(got nothing)');
  });

  it('runs the command on the backend asked for, and says which and why', async () => {
    const data = join(tmp, 'd.csv');
    writeFileSync(data, sampleCsv(60, 3));
    const base = ['baseline', '--data', data, '--text-column', 'review', '--label-column', 'rating'];
    const cpu = await run([...base, '--backend', 'cpu']);
    expect(cpu.code).toBe(0);
    expect(cpu.stderr).toContain('backend: cpu (chosen with --backend)');
    const auto = await run(base);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(
      /backend: wasm \(1 thread\) \(the default in Node: WebAssembly trains 3\.7× faster/,
    );
  });

  it('WebGPU without its Node package says what to install, as a user error', async () => {
    const data = join(tmp, 'w.csv');
    writeFileSync(data, sampleCsv(30, 4));
    const r = await run([
      'baseline',
      '--backend',
      'webgpu',
      '--data',
      data,
      '--text-column',
      'review',
      '--label-column',
      'rating',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/WebGPU in Node needs the `webgpu` package \(Dawn\): install it with/);
    expect(r.stderr).not.toMatch(/bug/);
  });
});
