// Ingest benchmark: one 10,000-call poll taken all the way from the vendor's bytes to the delta the
// renderer receives, against a bare JSON.parse of the same bytes; the size of a 1% delta against a
// full snapshot; and the heap over 1,000 polls of a churning centre. Engage Voice is used: its list
// is one JSON array per poll, the largest payload. It reports, for each target, the figure and "met"
// or "MISSED", with the machine's load average before and after; it never fails the process (it is
// a report, not a test).
//
// A poll runs as in the app: the account runtime's pollCalls (main/engine/account-runtime.ts) with a
// connector that parses the call list and normalises it, joined to the agent list its own poll read
// moments before (as EngageVoiceConnector.listCalls does when the agent list is fresh); the runtime
// diffs it against its model and hands the delta to a listener that serialises it (the IPC send).
//
// The heap run keeps the simulated centre at its starting size: the simulator's traffic alone grows
// it (more calls start than end: 10,000 → ~10,600 over 1,000 polls), and a heap that grows with the
// calls it must hold is not a leak. After each poll's traffic the benchmark ends the oldest calls
// until the centre is back at 10,000, so a trend left is the ingest's own. BENCH_CENTRE=growing runs
// it as before (the centre grows) and shows the heap per call held beside the trend. The simulator's
// request log is cleared after each poll (BENCH_SIM_LOG=keep keeps it, as the benchmark used to).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AccountConfig } from '../main/domain/account.js';
import type { Call } from '../main/domain/model.js';
import { AccountRuntime } from '../main/engine/account-runtime.js';
import type { Delta } from '../main/engine/diff.js';
import type { VendorConnector } from '../main/vendors/connector.js';
import { parseRecordList } from '../main/vendors/engage-voice/client.js';
import { normaliseCalls } from '../main/vendors/engage-voice/normalise.js';
import { createEngageVoiceSimulator } from '../main/vendors/engage-voice/simulator.js';
import { UTC_CLOCK } from '../main/vendors/shared/time.js';
import type { EvActiveCall, EvAgent } from '../main/vendors/engage-voice/types.js';
import { loadavg, median, verdict } from './report.js';

const CALLS = 10_000;
const RUNS = 41;
const INGEST_MS = 25;
const RATIO = 3;
const DELTA_SHARE = 0.02;
/** "No upward trend": the second half's regression slope, per 50 polls, at most this (GC noise is ~±20). */
const FLAT_KIB_PER_50 = 32;
const gc = (globalThis as { gc?: () => void }).gc;

const line = (label: string, figure: string, target: string, ok: boolean) => console.log(`  ${label.padEnd(30)} ${figure.padEnd(64)} target ${target.padEnd(16)} ${verdict(ok)}`);

async function fetchBodies(base: string, accountId: string, token: string): Promise<{ calls: string; agents: string }> {
  const root = `${base}/voice/api/v1/admin/accounts/${accountId}`;
  // A fresh connection per request: a pooled socket may have been closed by the server while idle.
  const get = async (p: string) => (await fetch(`${root}${p}`, { headers: { 'X-Auth-Token': token, Connection: 'close' } })).text();
  return { calls: await get('/activeCalls/list'), agents: await get('/realTimeData/agent') };
}

/** Times of one poll's stages (ms); `total` is the poll from the bytes to the serialised delta. */
interface Stages {
  parse: number;
  normalise: number;
  diff: number;
  serialise: number;
  total: number;
}

/** An account runtime fed one call-list body per poll; the listener serialises each delta, as the IPC send does. */
class Ingest {
  readonly runtime: AccountRuntime;
  private body = '';
  private agents: EvAgent[] = [];
  private marks = [0, 0, 0, 0, 0];
  /** The last delta, serialised. */
  sent = '';

  constructor() {
    const connector = {
      listCalls: async (): Promise<Call[]> => {
        const rows = parseRecordList<EvActiveCall>(this.body, 'active call list');
        this.marks[1] = performance.now();
        const calls = normaliseCalls(rows, this.agents, { accountId: 'bench', zone: UTC_CLOCK, now: Date.now() });
        this.marks[2] = performance.now();
        return calls;
      },
    } as unknown as VendorConnector;
    const noop = () => {};
    this.runtime = new AccountRuntime({
      config: { id: 'bench' } as AccountConfig,
      connector,
      clock: { now: () => Date.now(), sleep: async () => {} },
      timeoutMs: 10_000,
      listener: {
        calls: (_account: string, delta: Delta<Call>) => {
          this.marks[3] = performance.now();
          this.sent = JSON.stringify(delta);
          this.marks[4] = performance.now();
        },
        agents: noop,
        health: noop,
        polled: noop,
        chat: noop,
      },
    });
  }

  async poll(callsBody: string, agents: EvAgent[]): Promise<Stages> {
    this.body = callsBody;
    this.agents = agents;
    this.sent = '';
    this.marks.fill(0);
    const t0 = performance.now();
    this.marks[0] = t0;
    await this.runtime.pollCalls();
    const end = performance.now();
    const m = this.marks;
    if (m[3] === 0) m[3] = m[4] = end; // nothing changed: nothing sent
    return { parse: m[1]! - t0, normalise: m[2]! - m[1]!, diff: m[3]! - m[2]!, serialise: m[4]! - m[3]!, total: end - t0 };
  }
}

/** Changes `share` of the calls in a list body the way a poll sees them change (state, agent). */
function churn(body: string, share: number, round: number): string {
  const rows = JSON.parse(body) as Record<string, unknown>[];
  const every = Math.round(1 / share);
  rows.forEach((r, i) => {
    if (i % every === round % every) r.callState = r.callState === 'ACTIVE' ? 'HOLD' : 'ACTIVE';
  });
  return JSON.stringify(rows);
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const sim = createEngageVoiceSimulator({ seed: 99, calls: CALLS, agents: CALLS });
  const base = await sim.start();
  const token = sim.credentials.apiToken ?? '';
  const settings = sim.accountSettings() as { accountId: string };
  try {
    const a = await fetchBodies(base, settings.accountId, token);
    const agents = parseRecordList<EvAgent>(a.agents, 'agent list');
    const b = churn(a.calls, 0.01, 0);
    const count = (JSON.parse(a.calls) as unknown[]).length;

    // Steady state: the model holds the previous poll; each run ingests the other payload (1% differs).
    const ingest = new Ingest();
    await ingest.poll(a.calls, agents);
    const stages: Stages[] = [];
    const parses: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const next = i % 2 === 0 ? b : a.calls;
      stages.push(await ingest.poll(next, agents));
      const t1 = performance.now();
      JSON.parse(next);
      parses.push(performance.now() - t1);
    }
    const full = JSON.stringify({ added: [...ingest.runtime.calls.values()], updated: [], removed: [] }).length;
    const fresh = new Ingest();
    await fresh.poll(a.calls, agents);
    await fresh.poll(b, agents);
    const delta = fresh.sent.length;
    const loadMid = loadavg();

    const times = stages.map((s) => s.total);
    const ms = median(times);
    const parse = median(parses);
    const kib = (t: string) => `${(Buffer.byteLength(t) / 1024).toFixed(0)} KiB`;
    console.log(`ingest of one ${count.toLocaleString()}-call poll (Engage Voice call list ${kib(a.calls)}, agent list ${kib(a.agents)}: parse + normalise + join agents + diff + serialise), ${RUNS} runs`);
    console.log(`  load average ${loadBefore} before, ${loadMid} after (${os.cpus().length} cores)`);
    line('ingest, median', `${ms.toFixed(1)} ms (fastest ${Math.min(...times).toFixed(1)}, slowest ${Math.max(...times).toFixed(1)})`, `≤ ${INGEST_MS} ms`, ms <= INGEST_MS);
    line('  vs bare JSON.parse', `${(ms / parse).toFixed(2)}× (JSON.parse of the same bytes ${parse.toFixed(1)} ms)`, `≤ ${RATIO}×`, ms / parse <= RATIO);
    line('delta for 1% changed', `${(delta / 1024).toFixed(0)} KiB vs snapshot ${(full / 1024).toFixed(0)} KiB = ${((delta / full) * 100).toFixed(2)}%`, `≤ ${DELTA_SHARE * 100}%`, delta / full <= DELTA_SHARE);
    const part = (k: keyof Stages) => median(stages.map((s) => s[k])).toFixed(1);
    console.log(`  median split: parse ${part('parse')} + normalise and join ${part('normalise')} + runtime and diff ${part('diff')} + serialise ${part('serialise')} ms`);

    // 1,000 polls of a churning centre: the simulator moves traffic on between polls.
    const growing = process.env.BENCH_CENTRE === 'growing';
    const keepLog = process.env.BENCH_SIM_LOG === 'keep';
    const samples: { heap: number; held: number }[] = [];
    const polled = new Ingest();
    const polls = Number(process.env.BENCH_POLLS ?? 1000);
    let ended = 0;
    const start = sim.counts().calls;
    for (let i = 0; i < polls; i++) {
      for (let t = 0; t < 5; t++) sim.tick();
      if (!growing) {
        // End the oldest calls (the simulator's map is in start order) until the centre is its starting
        // size, and disposition them as their agents would: otherwise the simulator's own list of
        // calls awaiting a disposition grows, and its growth reads as the ingest's.
        for (const c of sim.state.calls.values()) {
          if (sim.state.calls.size <= start) break;
          sim.state.hangup(c);
          sim.state.dispose(c.uii, null);
          ended++;
        }
      }
      const bodies = await fetchBodies(base, settings.accountId, token);
      // The simulator logs every request for tests to read (method, path, headers, body): 2 a poll,
      // ~1 KiB each, which alone is a +100 KiB trend per 50 polls. It is the simulator's, not the ingest's.
      if (!keepLog) sim.server.clearLog();
      await polled.poll(bodies.calls, parseRecordList<EvAgent>(bodies.agents, 'agent list'));
      if (i % 50 === 49) {
        gc?.();
        samples.push({ heap: process.memoryUsage().heapUsed / 1024 / 1024, held: polled.runtime.calls.size });
      }
    }
    if (samples.length) {
      const heap = samples.map((s) => s.heap);
      const slope = regressionSlope(heap.slice(Math.floor(heap.length / 2))) * 1024;
      const perCall = samples.map((s) => (s.heap * 1024 * 1024) / s.held);
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const centre = growing
        ? `the centre left to grow, ${start.toLocaleString()} → ${sim.counts().calls.toLocaleString()} calls`
        : `the centre held at ${start.toLocaleString()} calls (${ended.toLocaleString()} oldest calls ended by the benchmark)`;
      console.log(`heap over ${polls.toLocaleString()} churning polls, ${centre}, simulator request log ${keepLog ? 'kept' : 'cleared'}; load average ${loadavg()} after`);
      console.log(`  heap after every 50 polls (MiB${gc ? ', after gc' : ', no --expose-gc'}): ${heap.map((h) => h.toFixed(1)).join(' ')}`);
      console.log(`  model holds ${first.held.toLocaleString()} → ${last.held.toLocaleString()} calls; heap per call held ${(perCall[0]! / 1024).toFixed(2)} → ${(perCall[perCall.length - 1]! / 1024).toFixed(2)} KiB (the whole heap, simulator included, over the calls held); the simulator holds ${sim.state.pending.size.toLocaleString()} ended calls awaiting a disposition`);
      const flat = slope <= FLAT_KIB_PER_50;
      line('heap, second-half trend', `${slope >= 0 ? '+' : ''}${slope.toFixed(0)} KiB per 50 polls${growing || keepLog ? ' (centre growing or log kept: not a leak test)' : ''}`, `≤ +${FLAT_KIB_PER_50} KiB/50`, flat && !growing && !keepLog);
    }
  } finally {
    await sim.stop();
  }
}

function regressionSlope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

await main();
