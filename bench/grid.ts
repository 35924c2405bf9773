// Grid benchmark: the real renderer in Chromium with 10,000 live calls, through a stand-in for the
// preload bridge so only the renderer is measured. It reports, for each target, the figure and
// "met" or "MISSED"; it never fails the process (it is a report, not a test).
//
// - First render: from the renderer asking for the snapshot to the grid showing its first rows and
//   the full count, laid out, watched by a mutation observer (no polling delay). The first page
//   load is judged; a few reloads are shown beside it.
// - Update: one `calls.changed` event of 500 changed rows, including every row on screen (so the
//   rendering of changed rows is always part of it), from the event handed to the renderer to the
//   DOM updated and laid out. What is included: the delta applied to the app state, the grid's
//   index maintenance (filter / sort / order), Svelte's flush of the visible rows (one microtask:
//   Svelte schedules its flush as a microtask at the first state write, so it runs before the
//   benchmark's own `await Promise.resolve()` continues), and a forced style recalc + layout
//   (reading the grid body's scrollHeight). What is not: the bridge's deserialisation (the stand-in
//   hands over objects), and paint / composite of the next frame, which Chromium does after the
//   task on its own schedule. No timer is awaited (a `setTimeout(0)` wait, as before, mostly
//   measured Chromium's task scheduling). After each timed run the DOM is checked, untimed, to show
//   the update really was on screen when the clock stopped.
// - Mixed update: the same, but 50 of the 500 rows are calls that ended and 50 are new calls, as in
//   a live poll (rows leave and join the order instead of only changing in place).
// - DOM rows: how many rows exist at the top and scrolled deep (virtualised: bounded by the
//   viewport, not the row count).
//
// `--profile` adds a CPU profile of the updates (self and total time per function); build the
// renderer unminified and point GRID_RENDERER_DIR at it to read the names.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from '@playwright/test';
import type { Call } from '../main/domain/model.js';
import { seededRandom } from '../main/vendors/shared/sim-server.js';
import { loadavg, median, verdict } from './report.js';

const ROWS = 10_000;
const UPDATE = 500;
const RUNS = 25;
const LOADS = 5;
const FRAME_MS = 16;
const FIRST_RENDER_MS = 200;
const VIEWPORT = { width: 1280, height: 720 };
/** Rows the viewport can hold plus the grid's overscan (8 above, 8 below), with one to spare. */
const ROW_BOUND = Math.ceil(VIEWPORT.height / 34) + 2 * 8 + 1;

function makeCalls(n: number, now: number): Call[] {
  const rand = seededRandom(7);
  const accounts = ['demo-engage-voice', 'demo-exotel', 'demo-audian', 'demo-livevox'] as const;
  const vendors = ['engage-voice', 'exotel', 'audian', 'livevox'] as const;
  const names = ['Ana Silva', 'Ben Okafor', 'Chen Wu', 'Dara Moreau', 'Eli Tanaka', 'Fatima Reyes', 'Gus Brown'];
  return Array.from({ length: n }, (_, i) => {
    const a = i % 4;
    return {
      key: `${accounts[a]}:c${i}`,
      accountId: accounts[a]!,
      vendor: vendors[a]!,
      vendorCallId: `c${i}`,
      direction: rand() < 0.5 ? 'inbound' : 'outbound',
      status: rand() < 0.1 ? 'ringing' : 'in_progress',
      from: `+1415${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
      to: `+1650${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
      agentKey: `${accounts[a]}:agent${i % 900}`,
      agentName: names[i % names.length]!,
      queue: ['Sales', 'Billing', 'Support'][i % 3]!,
      startedAt: now - Math.floor(rand() * 3_600_000),
      onHold: rand() < 0.05,
      muted: false,
      recording: rand() < 0.3,
      legs: null,
      bridge: null,
      sessions: [],
    } satisfies Call;
  });
}

function accountView(id: string, vendor: string, now: number) {
  const caps = Object.fromEntries(['monitor.listen', 'monitor.whisper', 'monitor.barge'].map((c) => [c, { supported: true }]));
  return { config: { id, label: id, vendor, demo: true, enabled: true }, secretsSet: [], health: 'ok', healthDetail: null, dataAt: now, stale: false, capabilities: caps };
}

async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const rel = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    readFile(path.join(dir, rel)).then(
      (body) => {
        const type = rel.endsWith('.js') ? 'text/javascript' : rel.endsWith('.css') ? 'text/css' : 'text/html';
        res.writeHead(200, { 'Content-Type': type }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

interface UpdateResult {
  ms: number;
  /** The same time in three parts: the event handler (app state), Svelte's flush, style and layout. */
  parts: [number, number, number];
  verified: boolean;
  why: string;
}

/** What the page exposes to the benchmark (installed before the app starts). */
interface BenchWindow {
  __emit: (name: string, payload: unknown) => void;
  /** performance.now() when the grid first showed rows and the full count, laid out. */
  __firstRenderAt?: number;
  __snapshotAt?: number;
  /** Builds (untimed), applies (timed) and checks (untimed) one update; see the file comment. */
  __update: (run: number, mixed: boolean) => Promise<UpdateResult>;
}

/** Runs in the page before the app: the stand-in bridge, the first-render watch, the update driver. */
function pageSetup({ calls, accounts, rows, update }: { calls: Call[]; accounts: unknown[]; rows: number; update: number }): void {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const w = window as unknown as BenchWindow & { switchboard: unknown };
  const answers: Record<string, unknown> = {
    'app.info': { name: 'Switchboard', version: 'bench', host: 'browser', demo: true, welcomed: true },
    'snapshot.get': { accounts, calls, agents: [] },
    'vault.status': { store: 'memory', detail: 'bench', plaintextOffered: false },
    'settings.problems': [],
    'settings.get': {
      ui: { theme: 'light', closeToTray: true, savedViews: [] },
      notifications: { enabled: false, agentStateChanges: false, callAlerts: false, doNotDisturb: true },
      alerts: { callLongerThanSec: 600, holdLongerThanSec: 120, ringingLongerThanSec: 30, notReadyLongerThanSec: 900 },
    },
    'chat.history': [],
    'tray.get': null,
  };
  w.switchboard = {
    invoke: (name: string) => {
      if (name === 'snapshot.get') {
        w.__snapshotAt = performance.now();
        watch.observe(document, { childList: true, subtree: true, characterData: true });
      }
      return Promise.resolve(name in answers ? { ok: true, value: answers[name] } : { ok: true, value: null });
    },
    on: (name: string, l: (p: unknown) => void) => {
      const set = listeners.get(name) ?? new Set();
      set.add(l);
      listeners.set(name, set);
      return () => set.delete(l);
    },
  };
  w.__emit = (name, payload) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  };

  // First render: a mutation observer, from the snapshot request on, runs right after each DOM
  // change, so the moment is exact (no polling delay).
  const full = rows.toLocaleString();
  const watch = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="call-row"]') || !(document.querySelector('[data-testid="call-count"]')?.textContent ?? '').startsWith(full)) return;
    void document.querySelector('.grid .body')?.scrollHeight;
    w.__firstRenderAt = performance.now();
    watch.disconnect();
  });

  // The live set as the renderer should now hold it, to build each delta from.
  const live = new Map(calls.map((c) => [c.key, c]));
  let added = 0;
  w.__update = async (run, mixed) => {
    // Every row on screen, then every 20th call, up to `update` rows.
    const onScreen = [...document.querySelectorAll<HTMLElement>('[data-testid="call-row"]')].map((el) => el.dataset.callKey!);
    const pick = new Set(onScreen);
    const keys = [...live.keys()];
    for (let i = run * 7; pick.size < update && i < keys.length * 2; i += 20) pick.add(keys[i % keys.length]!);
    const picked = [...pick].map((k) => live.get(k)!);
    const removed: string[] = [];
    const newCalls: Call[] = [];
    if (mixed) {
      // 50 calls end (one on screen among them) and 50 new calls start, spread over the order.
      for (const c of [picked[1]!, ...picked.slice(-49)]) removed.push(c.key);
      const now = Date.now();
      for (let i = 0; i < 50; i++) {
        const base = picked[(i * 7) % picked.length]!;
        newCalls.push({ ...base, key: `${base.accountId}:new${added}`, vendorCallId: `new${added}`, startedAt: now - ((added * 7919) % 3_600_000), sessions: [] });
        added++;
      }
    }
    const gone = new Set(removed);
    const updated = picked.filter((c) => !gone.has(c.key)).slice(0, update - removed.length - newCalls.length).map((c) => ({ ...c, onHold: !c.onHold, muted: run % 2 === 0 }));
    const delta = { added: newCalls, updated, removed };

    const body = document.querySelector<HTMLElement>('.grid .body')!;
    const t0 = performance.now();
    w.__emit('calls.changed', delta);
    const t1 = performance.now();
    await Promise.resolve();
    const t2 = performance.now();
    void body.scrollHeight;
    const t3 = performance.now();
    const ms = t3 - t0;
    const parts: [number, number, number] = [t1 - t0, t2 - t1, t3 - t2];

    for (const k of removed) live.delete(k);
    for (const c of [...newCalls, ...updated]) live.set(c.key, c);
    // Untimed check that the clock stopped on the updated screen.
    const shown = new Map([...document.querySelectorAll<HTMLElement>('[data-testid="call-row"]')].map((el) => [el.dataset.callKey!, el]));
    let checked = 0;
    for (const c of updated) {
      const el = shown.get(c.key);
      if (!el) continue;
      checked++;
      const flags = el.querySelector('.flags')?.textContent ?? '';
      if (flags.includes('Hold') !== c.onHold || flags.includes('Muted') !== c.muted) return { ms, parts, verified: false, why: `row ${c.key} not updated` };
    }
    if (checked === 0) return { ms, parts, verified: false, why: 'no updated row on screen' };
    for (const k of removed) if (shown.has(k)) return { ms, parts, verified: false, why: `ended call ${k} still shown` };
    const count = document.querySelector('[data-testid="call-count"]')?.textContent ?? '';
    if (!count.startsWith(live.size.toLocaleString())) return { ms, parts, verified: false, why: `count says "${count}", expected ${live.size}` };
    return { ms, parts, verified: true, why: '' };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * `--profile`: a CPU profile of 50 updates (self and total time per function, per update), or of a
 * page load up to the first render (`what` 'load', which includes starting the app).
 */
async function profile(page: Page, what: 'update' | 'mixed' | 'load'): Promise<void> {
  const N = what === 'load' ? 1 : 50;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  if (what === 'load') {
    await page.reload();
    await page.waitForFunction(() => (window as unknown as BenchWindow).__firstRenderAt !== undefined);
  }
  for (let run = 0; run < N && what !== 'load'; run++) await page.evaluate(([r, m]) => (window as unknown as BenchWindow).__update(r, m), [1000 + run, what === 'mixed'] as const);
  const { profile: prof } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await cdp.detach();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const k = name(byId.get(id)!);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const t = name(byId.get(cur)!);
      if (!seen.has(t)) total.set(t, (total.get(t) ?? 0) + dt);
      seen.add(t);
    }
  });
  const skip = /^\((idle|program|root)\)/;
  const top = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => !skip.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `      ${(v / N).toFixed(2).padStart(6)} ms  ${k}`)
      .join('\n');
  console.log(
    what === 'load'
      ? '  CPU profile of a page load to the first render, ms:'
      : `  CPU profile of ${N} ${what === 'mixed' ? 'mixed ' : ''}updates, ms per update (includes building and checking each delta, untimed above):`,
  );
  console.log(`    self:\n${top(self)}\n    total:\n${top(total)}`);
}


async function main(): Promise<void> {
  const now = Date.now();
  const calls = makeCalls(ROWS, now);
  const accounts = ['engage-voice', 'exotel', 'audian', 'livevox'].map((v) => accountView(`demo-${v}`, v, now));
  const site = await serve(path.resolve(process.env.GRID_RENDERER_DIR ?? 'out/renderer'));
  const loadBefore = loadavg();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.addInitScript(pageSetup, { calls, accounts, rows: ROWS, update: UPDATE });
    const firstRenders: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      await page.goto(site.url);
      await page.waitForFunction(() => (window as unknown as BenchWindow).__firstRenderAt !== undefined);
      firstRenders.push(await page.evaluate(() => {
        const w = window as unknown as BenchWindow;
        return w.__firstRenderAt! - w.__snapshotAt!;
      }));
    }
    const domRows = await page.locator('[data-testid="call-row"]').count();

    const measure = async (mixed: boolean, offset: number) => {
      const ms: number[] = [];
      const parts: [number, number, number][] = [];
      const problems: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        const r = await page.evaluate(([n, m]) => (window as unknown as BenchWindow).__update(n, m), [offset + run, mixed] as const);
        ms.push(r.ms);
        parts.push(r.parts);
        if (!r.verified) problems.push(r.why);
      }
      return { ms, parts, problems };
    };
    const updates = await measure(false, 0);
    const mixed = await measure(true, 100);
    if (process.argv.includes('--profile')) {
      await profile(page, 'update');
      await profile(page, 'mixed');
      await profile(page, 'load');
    }
    await page.locator('.grid .body').evaluate((el) => (el.scrollTop = 200_000));
    await page.waitForTimeout(100);
    const domRowsScrolled = await page.locator('[data-testid="call-row"]').count();
    const loadAfter = loadavg();

    // Judged on the first load, which a supervisor sees; reloads reuse Chromium's code cache.
    const fr = firstRenders[0]!;
    const line = (label: string, figure: string, target: string, ok: boolean) => console.log(`  ${label.padEnd(38)} ${figure.padEnd(50)} target ${target.padEnd(9)} ${verdict(ok)}`);
    const upd = (r: { ms: number[]; problems: string[] }) => {
      const over = r.ms.filter((x) => x > FRAME_MS).length;
      return `median ${median(r.ms).toFixed(1)} ms, worst ${Math.max(...r.ms).toFixed(1)} ms, ${over}/${RUNS} over`;
    };
    console.log(`grid with ${ROWS.toLocaleString()} calls in Chromium at ${VIEWPORT.width}×${VIEWPORT.height}; load average ${loadBefore} before, ${loadAfter} after (${os.cpus().length} cores)`);
    line('first render', `${fr.toFixed(0)} ms (reloads: ${firstRenders.slice(1).map((x) => x.toFixed(0)).join(', ')} ms)`, `≤ ${FIRST_RENDER_MS} ms`, fr <= FIRST_RENDER_MS);
    line(`update of ${UPDATE} changed rows`, upd(updates), `≤ ${FRAME_MS} ms`, updates.problems.length === 0 && median(updates.ms) <= FRAME_MS);
    line(`  same, 50 ended + 50 new among them`, upd(mixed), `≤ ${FRAME_MS} ms`, mixed.problems.length === 0 && median(mixed.ms) <= FRAME_MS);
    line('DOM rows', `${domRows} at the top, ${domRowsScrolled} scrolled deep`, `≤ ${ROW_BOUND}`, Math.max(domRows, domRowsScrolled) <= ROW_BOUND);
    console.log(`  (update verdicts on the median; an update is from the event in to the DOM updated and laid out, paint not included)`);
    const split = (r: { parts: [number, number, number][] }) => [0, 1, 2].map((i) => median(r.parts.map((p) => p[i]!)).toFixed(1)).join(' + ');
    console.log(`  median split, app state + Svelte flush + style and layout: update ${split(updates)} ms; mixed ${split(mixed)} ms`);
    for (const [what, r] of [['update', updates], ['mixed update', mixed]] as const) {
      if (r.problems.length) console.log(`  WARNING: ${r.problems.length} ${what} runs were not on screen when timed, so their figure is not valid: ${[...new Set(r.problems)].slice(0, 3).join('; ')}`);
    }
  } finally {
    await browser.close();
    await site.close();
  }
}

await main();
