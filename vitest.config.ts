import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Renderer state classes use Svelte's runes: their tests (*.svelte.test.ts) are compiled by the
// Svelte plugin for the browser runtime, so signals, effects and SvelteSet behave as in the page.
// Everything else runs as plain Node, where packages resolve to their Node builds (ws, axios).
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Simulators listen on ephemeral loopback ports, so files can run in parallel safely.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/*.svelte.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        plugins: [svelte({ dynamicCompileOptions: () => ({ generate: 'client' }) })],
        ssr: { resolve: { conditions: ['browser'] } },
        test: {
          name: 'renderer',
          include: ['test/unit/**/*.svelte.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
