// `npm run bench`: builds the renderer and the benchmarks, then prints their figures.
// `npm run bench -- click` (or ingest, grid, accounts) runs only the ones named, building only what they need.
import { execSync } from 'node:child_process';

const BENCHES = ['ingest', 'grid', 'accounts', 'click'];
const named = process.argv.slice(2);
const unknown = named.filter((n) => !BENCHES.includes(n));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(', ')}; there are: ${BENCHES.join(', ')}.`);
  process.exit(2);
}
const want = (name) => named.length === 0 || named.includes(name);

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
if (want('grid')) run('npx vite build --config vite.renderer.config.ts --logLevel warn');
run('npx vite build --config vite.bench.config.ts --logLevel warn');
if (want('ingest')) run('node --expose-gc out/bench/ingest.js');
if (want('grid')) run('node out/bench/grid.js');
if (want('accounts')) run('node out/bench/accounts.js');
if (want('click')) run('node out/bench/click.js');
