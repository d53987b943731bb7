import { describe, expect, it } from 'vitest';
import type { BackendMeasurement, ProbeResult } from '../core/runtime/probe';
import type { BackendReport } from '../shared/protocol';
import { backendLine } from './backendLine';

const wasm: BackendReport = {
  backend: 'wasm',
  activeBackend: 'wasm',
  skipped: [],
  threads: 1,
  wasmBuild: null,
  device: null,
};
const m = (backend: BackendMeasurement['backend'], eps: number | null, threads: number | null = null) =>
  ({
    backend,
    status: eps === null ? 'not timed' : 'measured',
    startMs: 400,
    firstStepMs: 1000,
    stepMs: eps === null ? null : 1000 / eps,
    examplesPerSecond: eps,
    threads,
    note: null,
  }) satisfies BackendMeasurement;
const result: ProbeResult = {
  job: {
    layers: 2,
    hidden: 128,
    heads: 2,
    intermediate: 512,
    vocab: 8000,
    batchSize: 32,
    seqLen: 128,
    lora: null,
  },
  measurements: [m('wasm', 48.2, 1), m('webgpu', null), m('wasm', 52.4, 2)],
  chosen: 'wasm',
  threads: 2,
  totalMs: 3000,
};
const words = (s: string) => s.split(/\s+/).filter((w) => /\w/.test(w)).length;
const base = { backend: wasm, decision: null, measured: null, probing: false, measuring: false };

describe('the backend notice in one line', () => {
  it('says where training runs and its speed, the chosen thread count’s, in at most 25 words', () => {
    const line = backendLine({ ...base, measured: result });
    expect(line).toBe('Trains on WebAssembly, 2 threads — 52 examples/s, the fastest here.');
    expect(words(line)).toBeLessThanOrEqual(25);
    expect(backendLine({ ...base, decision: { how: 'measured', result, cached: true } })).toBe(line);
  });

  it('says a choice by hand, the first that started, the start, the probe and an untimed backend', () => {
    expect(backendLine({ ...base, decision: { how: 'chosen', backend: 'webgpu' } })).toBe(
      'Trains on WebGPU, chosen by hand.',
    );
    expect(backendLine({ ...base, decision: { how: 'default', backend: 'webgl', reason: 'x' } })).toBe(
      'Trains on WebGL, the first backend that started.',
    );
    expect(backendLine({ ...base, backend: null })).toBe('Starting the compute backend…');
    expect(backendLine({ ...base, probing: true })).toBe('Timing each backend on this run’s job…');
    const swiftShader = { ...wasm, backend: 'webgpu' as const, activeBackend: 'webgpu', threads: null };
    const device = { software: true } as unknown as NonNullable<BackendReport['device']>;
    expect(backendLine({ ...base, backend: { ...swiftShader, device }, measuring: true })).toBe(
      'Runs on WebGPU, a software GPU. Timing each backend on this job…',
    );
  });

  it('stays within 25 words with every backend’s figures behind it', () => {
    const many = { ...result, measurements: Array.from({ length: 12 }, (_, k) => m('wasm', 10 + k, k + 1)) };
    expect(words(backendLine({ ...base, measured: many }))).toBeLessThanOrEqual(25);
  });
});
