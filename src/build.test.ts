import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { THREADED_WASM_GUARD, threadedWasmFix } from '../vite.config';

// The build's fix for TF.js's threaded WASM factory (vite.config.ts). e2e/wasm.spec.ts shows the built app
// training on that build; this pins the text the fix rewrites, so a TF.js upgrade that changes it fails here.
describe('threadedWasmFix', () => {
  const require = createRequire(import.meta.url);
  const path = require
    .resolve('@tensorflow/tfjs-backend-wasm/package.json')
    .replace('package.json', 'wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const source = readFileSync(path, 'utf8');

  it("finds the guard in TF.js's threaded factory and replaces every copy with a read that cannot throw", () => {
    expect(source).toContain(THREADED_WASM_GUARD);
    const out = threadedWasmFix.transform(source, path);
    expect(out?.code).not.toContain(THREADED_WASM_GUARD);
    expect(out?.code).toContain('try { return _scriptDir; } catch { return undefined; }');
    // The rewritten read is undefined outside the factory's closure (a serialized copy), not an error.
    const read = new Function('return (() => { try { return _scriptDir; } catch { return undefined; } })()');
    expect(read()).toBeUndefined();
  });

  it('leaves other modules alone', () => {
    expect(threadedWasmFix.transform(`const x = 1; ${THREADED_WASM_GUARD}`, '/src/app.ts')).toBeNull();
  });
});
