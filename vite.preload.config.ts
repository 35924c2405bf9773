// The sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
import { defineConfig } from 'vite';

export default defineConfig({
  ssr: { noExternal: true },
  build: {
    ssr: true,
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { index: 'preload/index.ts' },
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
      external: ['electron'],
    },
  },
});
