// Accounts benchmark: what an enabled account costs in memory, the figure behind
// MAX_ENABLED_ACCOUNTS (main/settings/account-cap.ts). For each count of accounts a fresh child
// process runs the whole app core (settings, vault, engine, clients) with that many enabled
// accounts, added through accounts.save and spread round-robin over the four vendors' simulators;
// the simulators run in this (the parent) process, so their memory is not counted. Each child polls
// with the console in view for a while, then reports its RSS and its heap after a full collection.
// The target: the cap's accounts within MEMORY_BUDGET_MIB of RSS. Like every benchmark it is a
// report, not a test: it never fails the process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Conf from 'conf';
import type { AccountConfig, Secrets } from '../main/domain/account.js';
import { startSimulatedCentre } from '../main/demo/simulated-centre.js';
import { createApp } from '../main/engine/create-app.js';
import { MAX_ENABLED_ACCOUNTS } from '../main/settings/account-cap.js';
import { SETTINGS_LIBRARY_OPTIONS } from '../main/settings/data-folder.js';
import { vendorRegistry } from '../main/vendors/registry.js';
import type { AccountView } from '../preload/contract.js';
import { loadavg, verdict } from './report.js';

const COUNTS = [0, 4, 12, 24, MAX_ENABLED_ACCOUNTS];
/** Long enough for every account to log in and poll its calls, agents and chat several times. */
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 20_000);
/** What the whole app may take with the cap's accounts: room beside Chromium on an 8 GB desktop. */
const MEMORY_BUDGET_MIB = 400;
const gc = (globalThis as { gc?: () => void }).gc;

interface Template {
  config: AccountConfig;
  secrets: Secrets;
}
interface Figures {
  count: number;
  healthy: number;
  rssMib: number;
  heapMib: number;
}

const mib = (bytes: number): number => bytes / 1024 / 1024;

async function child(count: number, templates: Template[]): Promise<Figures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-bench-accounts-'));
  try {
    const core = await createApp({
      host: 'browser',
      version: '0.0.0-bench',
      dataDir,
      createConf: () => new Conf<Record<string, unknown>>({ projectName: 'switchboard-bench', cwd: dataDir, configName: 'settings', ...SETTINGS_LIBRARY_OPTIONS }),
      vendors: vendorRegistry,
      // Secrets in memory: the bench measures the engine, not a keychain.
      keychainProbe: async () => ({ error: 'the benchmark keeps secrets in memory' }),
      demo: false,
    });
    for (let i = 0; i < count; i++) {
      const t = templates[i % templates.length]!;
      // Engage Voice on its permanent token: the simulator, like RingCentral, allows few JWT logins a minute.
      const config = { ...t.config, id: `bench-${i}`, label: `Bench ${i}`, demo: false, ...(t.config.vendor === 'engage-voice' ? { authMode: 'apiToken' as const } : {}) };
      const saved = await core.dispatcher.dispatch('accounts.save', { account: config, secrets: t.secrets });
      if (!saved.ok) throw new Error(`account ${i} was not saved: ${saved.error.message}`);
    }
    await core.start();
    await new Promise((r) => setTimeout(r, WARM_MS));
    const list = (await core.dispatcher.dispatch('accounts.list', {})) as { ok: true; value: AccountView[] };
    gc?.();
    const mem = process.memoryUsage();
    await core.stop();
    return { count, healthy: list.value.filter((a) => a.health === 'ok').length, rssMib: mib(mem.rss), heapMib: mib(mem.heapUsed) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function runChild(count: number, templates: Template[]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'child'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Figures);
      else reject(new Error(`the child for ${count} accounts exited with ${code}: ${out.slice(-500)}`));
    });
    proc.stdin.end(JSON.stringify({ count, templates }));
  });
}

async function parent(): Promise<void> {
  const loadBefore = loadavg();
  const centre = await startSimulatedCentre({ registry: vendorRegistry, seed: 2026, callsPerAccount: 20, agentsPerAccount: 32, demo: false, idPrefix: 'bench' });
  // Traffic as in the demo; the simulators' request logs are for tests and would only grow here.
  const traffic = setInterval(() => {
    centre.tick();
    for (const a of centre.accounts) a.sim.server.clearLog();
  }, 2_000);
  const templates: Template[] = centre.accounts.map((a) => ({ config: a.config, secrets: a.secrets }));
  const results: Figures[] = [];
  try {
    for (const count of COUNTS) results.push(await runChild(count, templates));
  } finally {
    clearInterval(traffic);
    await centre.stop();
  }
  const base = results[0]!;
  console.log(`memory per enabled account: the app core with N accounts over the four simulators (20 calls, 32 agents each), polling ${WARM_MS / 1000} s in view`);
  console.log(`  load average ${loadBefore} before, ${loadavg()} after (${os.cpus().length} cores)`);
  for (const r of results) {
    const per = r.count === 0 ? '' : `, +${((r.rssMib - base.rssMib) / r.count).toFixed(2)} MiB RSS and +${((r.heapMib - base.heapMib) / r.count).toFixed(2)} MiB heap an account`;
    console.log(`  ${String(r.count).padStart(3)} accounts (${r.healthy} ok): RSS ${r.rssMib.toFixed(0)} MiB, heap ${r.heapMib.toFixed(1)} MiB${per}`);
  }
  const atCap = results[results.length - 1]!;
  console.log(`  ${`cap (${MAX_ENABLED_ACCOUNTS} accounts), RSS`.padEnd(30)} ${`${atCap.rssMib.toFixed(0)} MiB`.padEnd(64)} target ${`≤ ${MEMORY_BUDGET_MIB} MiB`.padEnd(16)} ${verdict(atCap.rssMib <= MEMORY_BUDGET_MIB)}`);
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += (chunk as Buffer).toString('utf8');
  return text;
}

if (process.argv[2] === 'child') {
  const { count, templates } = JSON.parse(await readStdin()) as { count: number; templates: Template[] };
  const figures = await child(count, templates);
  console.log(JSON.stringify(figures));
  process.exit(0);
} else {
  await parent();
}
