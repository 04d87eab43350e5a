// Builds the renderer once for both front doors: Electron loads it from file:// and `burrow host --web`
// serves it over http, so every asset URL is relative (`base: './'`).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // MUI and the charts make one large chunk; the app is loaded locally, never over a slow network.
    chunkSizeWarningLimit: 2048,
  },
  // The renderer imports app/domain and app/contract from outside its root.
  server: { fs: { allow: [repoRoot] } },
});
