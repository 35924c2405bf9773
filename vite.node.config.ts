// main process and browser console: ESM for Node / Electron. Dependencies are bundled (one file
// loads much faster than hundreds of node_modules files); only the native keychain module and
// Electron itself stay outside.
import { defineConfig } from 'vite';

export default defineConfig({
  ssr: { noExternal: true, external: ['keytar', 'electron'] },
  build: {
    ssr: true,
    outDir: 'out/main',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { index: 'main/shell/index.ts', browser: 'main/browser/cli.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      external: ['electron', 'keytar'],
    },
  },
});
