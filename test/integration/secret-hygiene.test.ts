// A full session with unique credentials for every vendor: traffic, every kind of action, injected
// faults, connection tests and an audit export. Afterwards no credential (nor its Basic-auth form)
// appears in anything the renderer received, any file the app wrote, or anything it printed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Agent, Call } from '../../main/domain/model.js';
import { startBrowserConsole, type BrowserConsole } from '../../main/browser/server.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { connectBridgeClient, type BridgeClient } from '../helpers/ws-client.js';
import { filesUnder } from '../helpers/files.js';

let h: Harness;
let server: BrowserConsole;
let client: BridgeClient;
const printed: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  }
  // A seed of its own: every simulator derives its credentials from it, so they are unique to this run.
  h = await startHarness({ seed: 100_000 + Math.floor(Math.random() * 800_000), calls: 12, agents: 16, engine: { timeoutMs: 1_500 } });
  server = await startBrowserConsole({ dispatcher: h.app.core.dispatcher, rendererDir: h.app.dataDir });
  client = await connectBridgeClient(server.port, server.token);
  h.app.core.engine.start();
}, 30_000);

afterAll(async () => {
  client.close();
  await server.close();
  await h.stop();
  vi.restoreAllMocks();
});

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('secret hygiene', () => {
  it('no credential leaks anywhere after a full session', async () => {
    const { request } = client;
    await settle(2_500);
    for (let i = 0; i < 3; i++) h.centre.tick();
    const snap = (await request('snapshot.get', {})).value as { calls: Call[]; agents: Agent[] };
    const byVendor = (v: string) => snap.calls.filter((c) => c.vendor === v && c.status === 'in_progress');

    // Monitoring on every vendor, every mode where supported.
    for (const v of ['engage-voice', 'exotel', 'audian', 'livevox']) {
      const call = byVendor(v)[0];
      if (!call) continue;
      for (const mode of ['listen', 'whisper', 'barge']) await request('calls.monitor', { callKey: call.key, mode });
      await request('calls.stopMonitor', { callKey: call.key });
    }
    // Call actions, with faults injected under some of them.
    const audian = byVendor('audian');
    const audianSim = h.centre.byVendor('audian').sim.server;
    await request('calls.action', { callKey: audian[1]!.key, action: { type: 'hold' } });
    audianSim.injectFault({ kind: 'status', status: 500, times: 1, match: /\/mute$/ });
    await request('calls.action', { callKey: audian[1]!.key, action: { type: 'mute' } });
    audianSim.injectFault({ kind: 'drop', times: 1, match: /\/transfer$/ });
    await request('calls.action', { callKey: audian[2]!.key, action: { type: 'transfer', destination: '+14155550123', mode: 'attended' } });
    await request('calls.action', { callKey: audian[2]!.key, action: { type: 'dtmf.gather', prompt: 'Press 1', maxDigits: 1 } });
    await request('calls.action', { callKey: audian[3]!.key, action: { type: 'play', message: 'Please hold', participant: 'both' } });
    await request('calls.action', { callKey: audian[1]!.key, action: { type: 'resume' } });
    await request('calls.action', { callKey: audian[1]!.key, action: { type: 'unmute' } });
    await request('calls.action', { callKey: audian[3]!.key, action: { type: 'dtmf.send', digits: '12#' } });
    await request('calls.action', { callKey: audian[3]!.key, action: { type: 'conference.add', participant: '+14155550199' } });
    await request('calls.action', { callKey: audian[3]!.key, action: { type: 'conference.remove', participant: '+14155550199' } });
    await request('calls.action', { callKey: audian[4]!.key, action: { type: 'hangup' } });
    const ev = byVendor('engage-voice');
    await request('calls.action', { callKey: ev[1]!.key, action: { type: 'recording', on: true } });
    await request('calls.action', { callKey: ev[2]!.key, action: { type: 'disposition', disposition: 'Callback', callback: true, callbackAt: '2026-12-01T10:00:00Z' } });
    await request('calls.action', { callKey: ev[3]!.key, action: { type: 'hangup' } });
    const evAgent = snap.agents.find((a) => a.vendor === 'engage-voice' && a.state === 'ready') ?? snap.agents.find((a) => a.vendor === 'engage-voice')!;
    await request('accounts.manualCall', { accountId: evAgent.accountId, call: { username: evAgent.loginId, destination: '+14155550142', ringDuration: 30, callerId: '+14155550100' } });
    await request('calls.action', { callKey: byVendor('exotel')[1]!.key, action: { type: 'hangup' } });
    // Agents and chat.
    const lvAgents = snap.agents.filter((a) => a.vendor === 'livevox');
    await request('agents.action', { agentKeys: lvAgents.slice(0, 4).map((a) => a.key), action: { type: 'notReady', reason: 'BREAK' } });
    await request('chat.broadcast', { agentKeys: lvAgents.slice(0, 3).map((a) => a.key), message: 'Huddle at 3', canReply: true });
    await request('chat.send', { agentKey: lvAgents[0]!.key, message: 'Thanks' });
    await request('chat.end', { agentKey: lvAgents[0]!.key });
    await request('agents.action', { agentKeys: lvAgents.slice(0, 2).map((a) => a.key), action: { type: 'ready' } });
    await request('agents.action', { agentKeys: [lvAgents[5]!.key], action: { type: 'logoff', message: 'Shift over' } });
    const services = (await request('services.list', { accountId: lvAgents[0]!.accountId })).value as { id: string }[];
    await request('agents.action', { agentKeys: [lvAgents[1]!.key], action: { type: 'switchService', serviceId: services[0]!.id } });
    // Expired credentials, malformed bodies and a flaky vendor while polling.
    for (const a of h.centre.accounts) a.sim.server.injectFault({ kind: 'expire_auth' });
    h.centre.byVendor('exotel').sim.server.injectFault({ kind: 'malformed', times: 2 });
    h.centre.byVendor('livevox').sim.server.injectFault({ kind: 'status', status: 503, times: 3 });
    await settle(3_000);
    // A connection test with a wrong credential, and every account's own test.
    for (const a of h.centre.accounts) await request('accounts.test', { id: a.config.id });
    // Every kind of action was attempted (some fail by design: faults, a busy agent): the audit says so.
    const audited = new Set(((await request('audit.list', { limit: 1000 })).value as { entries: { action: string }[] }).entries.map((e) => e.action));
    const attempted = ['monitor.listen', 'monitor.whisper', 'monitor.barge', 'monitor.stop', 'call.hold', 'call.resume', 'call.mute', 'call.unmute', 'call.transfer', 'call.conference.add', 'call.conference.remove', 'call.play', 'call.dtmf.send', 'call.dtmf.gather', 'call.recording', 'call.disposition', 'call.hangup', 'call.manualAgentCall', 'agent.notReady', 'agent.ready', 'agent.logoff', 'agent.switchService', 'chat.broadcast', 'chat.send', 'chat.end'];
    expect(attempted.filter((a) => !audited.has(a)), 'actions missing from the audit log').toEqual([]);
    await request('audit.exportCsv', {});
    await request('audit.list', { limit: 1000 });
    await request('accounts.list', {});

    const secrets = h.centre.accounts.flatMap((a) => Object.values(a.secrets).filter((s): s is string => typeof s === 'string' && s.length >= 6));
    const exotel = h.centre.byVendor('exotel').secrets;
    secrets.push(Buffer.from(`${exotel.apiKey}:${exotel.apiToken}`).toString('base64'));
    expect(secrets.length).toBeGreaterThanOrEqual(8);

    const haystacks: [string, string][] = [
      ...client.received.map((f, i): [string, string] => [`frame ${i}`, f]),
      ...filesUnder(h.app.dataDir).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ...printed.map((p, i): [string, string] => [`console ${i}`, p]),
    ];
    expect(client.received.length).toBeGreaterThan(20);
    expect(filesUnder(h.app.dataDir).map((f) => path.basename(f))).toEqual(expect.arrayContaining(['settings.json', 'audit.jsonl', 'switchboard.log']));
    for (const [where, text] of haystacks) {
      for (const s of secrets) expect(text.includes(s), `${where} contains a credential`).toBe(false);
    }
  }, 60_000);
});
