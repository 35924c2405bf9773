// `npm run bench`: builds the renderer and the benchmarks, then prints their figures.
import { execSync } from 'node:child_process';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
run('npx vite build --config vite.renderer.config.ts --logLevel warn');
run('npx vite build --config vite.bench.config.ts --logLevel warn');
run('node --expose-gc out/bench/ingest.js');
run('node out/bench/grid.js');
run('node out/bench/accounts.js');
