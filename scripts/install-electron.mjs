// Electron's own postinstall is denied in package.json#allowScripts because it fails the whole
// install where its binary host is unreachable. We run the same download here and tolerate
// failure: online, Electron is fetched as usual; offline, `npm start` opens the browser console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0); // production install without dev dependencies: nothing to fetch
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('switchboard: ELECTRON_SKIP_BINARY_DOWNLOAD is set; Electron binary not fetched. `npm start` will open the browser console.');
  process.exit(0);
}

const run = spawnSync(process.execPath, [installer], {
  cwd: path.dirname(installer),
  stdio: ['ignore', 'inherit', 'pipe'],
  timeout: 5 * 60_000,
  encoding: 'utf8',
});
const pathFile = path.join(path.dirname(installer), 'path.txt');
if (run.status === 0 && existsSync(pathFile)) {
  console.log('switchboard: Electron binary installed.');
} else {
  const why = (run.stderr || '').split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN/i.test(l)) ?? 'download failed';
  console.log(`switchboard: Electron binary could not be downloaded (${why.trim().slice(0, 160)}). Install continues; \`npm start\` will open the browser console instead.`);
}
