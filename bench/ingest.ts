// Ingest benchmark: one 10,000-call poll taken all the way from the vendor's bytes to the delta the
// renderer receives (parse + normalise + diff + serialise), against a bare JSON.parse of the same
// bytes; the size of a 1% delta against a full snapshot; and the heap over 1,000 polls of a
// churning centre. Engage Voice is used: its list is one JSON array per poll, the largest payload.
// As in the app, a calls poll joins agents from the agent list its own poll read moments before.
import { performance } from 'node:perf_hooks';
import type { Call } from '../main/domain/model.js';
import { applySnapshot } from '../main/engine/diff.js';
import { parseRecordList } from '../main/vendors/engage-voice/client.js';
import { normaliseCalls } from '../main/vendors/engage-voice/normalise.js';
import { createEngageVoiceSimulator } from '../main/vendors/engage-voice/simulator.js';
import type { EvActiveCall, EvAgent } from '../main/vendors/engage-voice/types.js';

const CALLS = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function fetchBodies(base: string, accountId: string, token: string): Promise<{ calls: string; agents: string }> {
  const root = `${base}/voice/api/v1/admin/accounts/${accountId}`;
  // A fresh connection per request: a pooled socket may have been closed by the server while idle.
  const get = async (p: string) => (await fetch(`${root}${p}`, { headers: { 'X-Auth-Token': token, Connection: 'close' } })).text();
  return { calls: await get('/activeCalls/list'), agents: await get('/realTimeData/agent') };
}

function ingest(callsBody: string, agents: EvAgent[], model: Map<string, Call>, now: number): string {
  const rows = parseRecordList<EvActiveCall>(callsBody, 'active call list');
  const calls = normaliseCalls(rows, agents, { accountId: 'bench', naiveOffsetMinutes: 0, now });
  return JSON.stringify(applySnapshot(model, calls));
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
    const model = new Map<string, Call>();
    ingest(a.calls, agents, model, Date.now());
    const times: number[] = [];
    const parses: number[] = [];
    for (let i = 0; i < 41; i++) {
      const next = i % 2 === 0 ? b : a.calls;
      const t0 = performance.now();
      ingest(next, agents, model, Date.now());
      times.push(performance.now() - t0);
      const t1 = performance.now();
      JSON.parse(next);
      parses.push(performance.now() - t1);
    }
    const full = JSON.stringify({ added: [...model.values()], updated: [], removed: [] }).length;
    const fresh = new Map<string, Call>();
    ingest(a.calls, agents, fresh, Date.now());
    const delta = ingest(b, agents, fresh, Date.now()).length;

    const kib = (t: string) => `${(Buffer.byteLength(t) / 1024).toFixed(0)} KiB`;
    console.log(`ingest of one ${count.toLocaleString()}-call poll (Engage Voice call list, ${kib(a.calls)}: parse + normalise + join agents + diff + serialise)`);
    console.log(`  median ${median(times).toFixed(1)} ms (target ≤ 25 ms); bare JSON.parse of the same bytes ${median(parses).toFixed(1)} ms; ratio ${(median(times) / median(parses)).toFixed(2)}× (target ≤ 3×)`);
    console.log(`  delta for 1% changed: ${(delta / 1024).toFixed(0)} KiB vs snapshot ${(full / 1024).toFixed(0)} KiB = ${((delta / full) * 100).toFixed(2)}% (target ≤ 2%)`);

    // 1,000 polls of a churning centre: the simulator moves traffic on between polls.
    const heap: number[] = [];
    const polled = new Map<string, Call>();
    const polls = Number(process.env.BENCH_POLLS ?? 1000);
    for (let i = 0; i < polls; i++) {
      for (let t = 0; t < 5; t++) sim.tick();
      const bodies = await fetchBodies(base, settings.accountId, token);
      ingest(bodies.calls, parseRecordList<EvAgent>(bodies.agents, 'agent list'), polled, Date.now());
      if (i % 50 === 49) {
        gc?.();
        heap.push(process.memoryUsage().heapUsed / 1024 / 1024);
      }
    }
    const half = heap.slice(Math.floor(heap.length / 2));
    const slope = regressionSlope(half);
    console.log(`heap after every 50 of ${polls} churning polls (MiB${gc ? ', after gc' : ', no --expose-gc'}): ${heap.map((h) => h.toFixed(0)).join(' ')}`);
    console.log(`  second-half trend ${slope >= 0 ? '+' : ''}${(slope * 1024).toFixed(0)} KiB per 50 polls (target: no upward trend); model holds ${polled.size.toLocaleString()} calls`);
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
