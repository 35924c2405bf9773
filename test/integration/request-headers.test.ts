// Each vendor's headers as its document shows them, seen at the simulators: a request without a body
// declares no body type (axios would declare a form on every body-less POST) unless the vendor's own
// example shows one (LiveVox on every request, Exotel v3 on its GETs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, Vendor } from '../../main/domain/model.js';
import type { LoggedRequest } from '../../main/vendors/shared/sim-server.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

const ALL: Vendor[] = ['engage-voice', 'exotel', 'audian', 'livevox'];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors: ALL, calls: 12, agents: 12 });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
}, 30_000);
afterAll(() => h.stop());

const used = new Set<string>();
function freshCall(vendor: Vendor): Call {
  const c = h.app.core.engine.calls().find((x) => x.vendor === vendor && x.status === 'in_progress' && x.onHold !== true && !used.has(x.key) && (vendor === 'audian' || x.agentKey));
  if (!c) throw new Error(`no ${vendor} call left`);
  used.add(c.key);
  return c;
}
function sent(vendor: Vendor, route: RegExp): LoggedRequest {
  const l = h.centre.byVendor(vendor).sim.server.log.filter((x) => route.test(`${x.method} ${x.path}`)).at(-1);
  if (!l) throw new Error(`${vendor}: nothing sent to ${route}`);
  return l;
}
async function ok(name: string, input: unknown): Promise<void> {
  const r = await h.request(name, input);
  expect(r.ok, JSON.stringify(r.error)).toBe(true);
}

describe('a request without a body declares no body type', () => {
  it('Engage Voice: control POSTs carry their parameters in the query and no Content-Type', async () => {
    const call = freshCall('engage-voice');
    await ok('calls.monitor', { callKey: call.key, mode: 'listen' });
    await ok('calls.stopMonitor', { callKey: call.key });
    await ok('calls.action', { callKey: freshCall('engage-voice').key, action: { type: 'recording', on: true } });
    for (const route of [/addSessionToCall$/, /hangupSession$/, /toggleCallRecording$/]) {
      const l = sent('engage-voice', route);
      expect(l.body, String(route)).toBe('');
      expect(l.headers['content-type'], String(route)).toBeUndefined();
    }
    // The RingCentral login is a form, and says so (NOTES.md).
    expect(sent('engage-voice', /auth\/login\/rc\/accesstoken$/).headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('Audian: hold without music, resume, mute and participant removal send no Content-Type; bodies are JSON', async () => {
    const call = freshCall('audian');
    await ok('calls.action', { callKey: call.key, action: { type: 'hold' } });
    expect(sent('audian', /\/hold$/)).toMatchObject({ body: '' });
    expect(sent('audian', /\/hold$/).headers['content-type']).toBeUndefined();
    await ok('calls.action', { callKey: call.key, action: { type: 'resume' } });
    await ok('calls.action', { callKey: call.key, action: { type: 'mute' } });
    for (const route of [/\/resume$/, /\/mute$/]) expect(sent('audian', route).headers['content-type'], String(route)).toBeUndefined();
    await ok('calls.action', { callKey: call.key, action: { type: 'hold', holdMusicUrl: 'https://example.com/hold.mp3' } });
    expect(sent('audian', /\/hold$/).headers['content-type']).toBe('application/json');
    const barged = freshCall('audian');
    await ok('calls.monitor', { callKey: barged.key, mode: 'barge' });
    await ok('calls.stopMonitor', { callKey: barged.key });
    expect(sent('audian', /\/conference$/).headers['content-type']).toBe('application/json');
    expect(sent('audian', /\/participants\/[^/]+\/remove$/).headers['content-type']).toBeUndefined();
  });
});

describe('where the vendor’s example shows a type, it is sent', () => {
  it('LiveVox: every request, with a body or not, says Content-Type and Accept application/json', async () => {
    await ok('calls.monitor', { callKey: freshCall('livevox').key, mode: 'listen' });
    const agent = h.app.core.engine.agents().find((a) => a.vendor === 'livevox')!;
    await h.request('chat.end', { agentKey: agent.key });
    for (const route of [/GET .*\/monitor\/state$/, /POST .*\/monitor\/start$/, /POST .*\/monitor\/listen$/, /POST .*\/chat\/end$/, /POST .*\/agents\/status$/]) {
      const l = sent('livevox', route);
      expect(l.headers['content-type'], String(route)).toBe('application/json');
      expect(l.headers.accept, String(route)).toBe('application/json');
    }
  });

  it('Exotel: the v3 GETs say application/json as the example does; v1 ActiveLegs says nothing; v1 bodies are JSON', async () => {
    await ok('calls.monitor', { callKey: freshCall('exotel').key, mode: 'listen' });
    expect(sent('exotel', /GET .*\/calls\/active$/).headers['content-type']).toBe('application/json');
    expect(sent('exotel', /GET .*\/ActiveLegs(\.json)?$/).headers['content-type']).toBeUndefined();
    expect(sent('exotel', /POST .*\/Legs(\.json)?$/).headers['content-type']).toBe('application/json');
  });
});
