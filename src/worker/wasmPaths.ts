import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/*
 * Where the bundler put TF.js's three WASM builds, for every page or Worker that runs the WASM backend (the
 * compute Worker, the checks page). Imported for this side effect. WASM runs threaded where the page is
 * cross-origin isolated (vite.config.ts sets the headers and fixes the threaded build for bundling:
 * threadedWasmFix); TF.js falls back to one thread elsewhere.
 */
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});
