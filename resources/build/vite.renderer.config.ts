// Lives beside the other build scripts so renderer/ holds only code that runs in the page.
// Builds the renderer once for both front doors: Electron loads it from file:// and `burrow host --web`
// serves it over http, so every asset URL is relative (`base: './'`).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { NONCE_PLACEHOLDER } from '../../app/contract/csp-nonce.js';

const rendererRoot = fileURLToPath(new URL('../../renderer/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  // Electron's app protocol replaces this placeholder with a fresh nonce per load (electron/main/csp.ts);
  // renderer/src/theme/style-cache.ts hands it to emotion.
  html: { cspNonce: NONCE_PLACEHOLDER },
  build: {
    outDir: fileURLToPath(new URL('../../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // MUI and the charts make one large chunk; the app is loaded locally, never over a slow network.
    chunkSizeWarningLimit: 2048,
  },
  // The renderer imports app/domain and app/contract from outside its root.
  server: { fs: { allow: [repoRoot] } },
});
