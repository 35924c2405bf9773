// kill -9 during a barge, against a real browser-console process: the vendor (a simulator in this
// process) holds the barge request open, the console is killed while it waits, and its audit file
// must hold the barge's intent, read as "outcome unknown (the app stopped before the vendor
// answered)". The next run on the same data shows that barge, live at the vendor after all, as
// possibly active, and ending it reaches the vendor.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Call } from '../../main/domain/model.js';
import { startSimulatedCentre, type SimulatedCentre } from '../../main/demo/simulated-centre.js';
import { AuditLog, STOPPED_BEFORE_OUTCOME, type AuditEntry } from '../../main/engine/audit-log.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import { connectBridgeClient, type BridgeClient } from '../helpers/ws-client.js';
import { startConsoleHost, type ConsoleHost } from './console-host.js';

/** How long the vendor holds the barge before carrying it out: the console is killed meanwhile. */
const HELD_MS = 1_500;

let centre: SimulatedCentre;
const hosts: ConsoleHost[] = [];
test.afterAll(async () => {
  for (const h of hosts.reverse()) await h.stop();
  await centre?.stop();
});

async function liveCall(client: BridgeClient, accountId: string): Promise<Call> {
  let found: Call | undefined;
  await expect
    .poll(
      async () => {
        const snap = (await client.request('snapshot.get', {})).value as { calls: Call[] };
        found = snap.calls.find((c) => c.accountId === accountId && c.status === 'in_progress' && c.agentKey !== null && c.sessions.length === 0);
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

test('kill -9 while the vendor holds a barge: the intent is on file as outcome unknown, and the next run ends the barge', async () => {
  centre = await startSimulatedCentre({ registry: vendorRegistry, seed: 5, vendors: ['engage-voice'], demo: false, idPrefix: 'kill', callsPerAccount: 6, agentsPerAccount: 6 });
  const account = centre.byVendor('engage-voice');
  const sim = account.sim as unknown as EngageVoiceSimulator;
  const phone = account.config.supervisorPhone!;

  const first = await startConsoleHost();
  hosts.push(first);
  const dataDir = first.dataDir;
  const auditFile = path.join(dataDir, 'audit.jsonl');
  let client = await connectBridgeClient(first.port, first.token);
  expect((await client.request('demo.set', { on: false })).ok).toBe(true);
  const saved = await client.request('accounts.save', { account: account.config, secrets: account.secrets });
  expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
  const call = await liveCall(client, account.config.id);

  sim.server.injectFault({ kind: 'latency', ms: HELD_MS, times: 1, match: /addSessionToCall$/ });
  void client.request('calls.monitor', { callKey: call.key, mode: 'barge' });
  await expect.poll(() => sim.server.calls(/addSessionToCall$/).length).toBe(1);
  await first.kill();

  // On file: the intent, and nothing after it for this barge.
  const lines = readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes(call.key))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toEqual([expect.objectContaining({ phase: 'intent', action: 'monitor.barge', target: call.key })]);
  const read = new AuditLog(auditFile).read().entries.find((e) => e.target === call.key);
  expect(read).toMatchObject({ action: 'monitor.barge', outcome: 'unknown', finishedAt: null, error: STOPPED_BEFORE_OUTCOME });
  expect(read!.error!.message).toMatch(/the app stopped before the vendor answered/);
  // The vendor carried the barge out with nobody left to hear its answer.
  await expect.poll(() => sim.state.calls.get(call.vendorCallId)?.sessions.get(phone)).toBe('BARGEIN');

  // The next run, on the same data.
  const second = await startConsoleHost({}, { dataDir });
  hosts.push(second);
  client = await connectBridgeClient(second.port, second.token);
  const vault = (await client.request('vault.status', {})).value as { store: string };
  if (vault.store !== 'keychain') {
    // Without a keychain the secrets lived in the killed process's memory: enter them again.
    expect((await client.request('accounts.remove', { id: account.config.id })).ok).toBe(true);
    expect((await client.request('accounts.save', { account: account.config, secrets: account.secrets })).ok).toBe(true);
  }
  const listed = ((await client.request('audit.list', { limit: 100 })).value as { entries: AuditEntry[] }).entries.find((e) => e.target === call.key);
  expect(listed).toMatchObject({ action: 'monitor.barge', outcome: 'unknown', error: STOPPED_BEFORE_OUTCOME });

  await expect
    .poll(
      async () => {
        const snap = (await client.request('snapshot.get', {})).value as { calls: Call[] };
        return snap.calls.find((c) => c.key === call.key)?.sessions.find((s) => s.own) ?? null;
      },
      { timeout: 15_000 },
    )
    .toMatchObject({ mode: 'barge', possiblyActive: true });
  sim.server.clearLog();
  const stopped = await client.request('calls.stopMonitor', { callKey: call.key });
  expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
  expect(sim.server.log.filter((l) => l.path.endsWith('/hangupSession')).map((l) => l.query.phone)).toEqual([phone]);
  expect(sim.state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
  client.close();
});
