// Benchmarks run as plain Node scripts, built the way the main process is.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/bench',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { ingest: 'bench/ingest.ts', grid: 'bench/grid.ts', accounts: 'bench/accounts.ts', click: 'bench/click.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      external: ['electron'],
    },
  },
});
