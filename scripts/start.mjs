// `npm start`: the Electron app where its binary is installed, otherwise the browser console.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  const p = require('electron');
  if (typeof p === 'string' && existsSync(p)) electronPath = p;
} catch {
  electronPath = null;
}

if (electronPath) {
  const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed on this machine (offline install), so Switchboard opens as a browser console: open the URL below in Chromium or Chrome.');
  await import('../out/main/browser.js');
}
