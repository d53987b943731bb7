import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer). Hugging Face serves
// model files with CORS, which is all that COEP "credentialless" asks of cross-origin fetches.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

/**
 * Content-Security-Policy: the page and its Worker may talk to this origin and to Hugging Face (model
 * downloads, which redirect to *.hf.co) and nothing else. 'wasm-unsafe-eval' lets the WASM backend compile;
 * inline styles are recharts'. Sent as a header by `vite preview` (the Worker takes its policy from its own
 * response) and written into the built index.html; the dev server skips it (its HMR preamble is inline).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/**
 * TF.js's threaded WASM build serializes its Emscripten factory with `toString()` into each pthread Worker
 * (tfjs README, "JS Minification"; tfjs PR #4562). The factory reads `_scriptDir` from the closure around
 * it, guarded by `typeof _scriptDir !== "undefined"`; a minifier that knows the variable is declared turns
 * the guard into `e !== void 0`, which throws "e is not defined" where the closure is gone. This makes the
 * read one a minifier cannot fold: a try/catch that yields undefined outside the closure. The factory then
 * falls back to the Worker's own location, and TF.js's setWasmPaths says where the .wasm files are anyway.
 */
export const THREADED_WASM_GUARD = 'typeof _scriptDir !== "undefined" && _scriptDir';
export const threadedWasmFix = {
  name: 'tabtune-threaded-wasm-fix',
  transform(code: string, id: string) {
    if (!id.includes('tfjs-backend-wasm') || !code.includes(THREADED_WASM_GUARD)) return null;
    const safe = '(() => { try { return _scriptDir; } catch { return undefined; } })()';
    return { code: code.replaceAll(THREADED_WASM_GUARD, safe), map: null };
  },
};

const cspMeta = {
  name: 'tabtune-csp-meta',
  apply: 'build' as const,
  transformIndexHtml: (html: string) =>
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
    ),
};

export default defineConfig({
  plugins: [react(), cspMeta, threadedWasmFix],
  worker: { format: 'es', plugins: () => [threadedWasmFix] },
  server: { port: 5173, headers: isolation },
  preview: { port: 4173, headers: { ...isolation, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // The studio, the benchmark page that measures this machine's backends, the numerical checks page, the page
    // that scores an export with ONNX Runtime Web, and the e2e tests' page (the studio on the lab's Worker, with
    // its test hooks; the studio's own page holds no lab code: scripts/studio-bundle.mjs checks).
    rollupOptions: {
      input: {
        main: 'index.html',
        bench: 'bench.html',
        checks: 'checks.html',
        onnx: 'onnx.html',
        test: 'test.html',
      },
    },
  },
});
