import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer). Hugging Face serves
// model files with CORS, which is all that COEP "credentialless" asks of cross-origin fetches.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: { port: 5173, headers: isolation },
  preview: { port: 4173, headers: isolation },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // The studio, and the benchmark page that measures this machine's backends.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});
