// The StatusCallback of a monitor leg (exotel-v1-listen-whisper-barge.txt, "StatusCallback"): the
// leg is created and ended through ExotelClient, a loopback receiver records what the simulator
// POSTs, and the payload must be the document's 'terminal' sample field for field, in the content
// type the request asked for. The product has no parser for this payload (the desktop app polls and
// never sets StatusCallback), so the fields are checked here against the document directly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExotelAccount } from '../../main/domain/account.js';
import { ExotelClient } from '../../main/vendors/exotel/client.js';
import type { SimCall } from '../../main/vendors/exotel/sim-state.js';
import { createExotelSimulator, type ExotelSimulator } from '../../main/vendors/exotel/simulator.js';
import type { V1CreateLegRequest } from '../../main/vendors/exotel/types.js';
import { WebhookReceiver, downUrl, type Received } from '../helpers/webhook-receiver.js';

/** The fields of the document's sample 'terminal' payload, in its order. */
const TERMINAL_FIELDS = [
  'LegSid',
  'CallSid',
  'AccountSid',
  'DateCreated',
  'DateUpdated',
  'StartTime',
  'EndTime',
  'PhoneNumber',
  'Status',
  'OnCallDuration',
  'Origin',
  'LastAction',
  'CustomField',
  'EventType',
];
const NOW = Date.UTC(2024, 5, 15, 10, 40);
const SUPERVISOR = '+919812345678';
let clock: number;
let receiver: WebhookReceiver;
let sim: ExotelSimulator;
let client: ExotelClient;

function liveInbound(): SimCall {
  const c = sim.state.addCall(clock - 60_000, 'inbound');
  expect(sim.state.answer(c)).toBe(true);
  return c;
}
const agentLegOf = (c: SimCall) => c.legs.find((l) => l.number === c.agent?.phone)!;

/** POST Legs as the document's sample does, with a callback to the receiver. */
function createLeg(c: SimCall, extra: Partial<V1CreateLegRequest> = {}) {
  return client.createLeg(c.sid, {
    Action: 'listen',
    TargetLegSid: agentLegOf(c).sid,
    PhoneNumber: SUPERVISOR,
    StatusCallback: `${receiver.url}/exotel/legs`,
    CustomField: 'LegsCustom',
    StatusCallbackContentType: 'application/json',
    'StatusCallbackEvents[0]': 'terminal',
    ...extra,
  });
}

async function fieldsOf(r: Received): Promise<Record<string, string>> {
  return r.contentType.startsWith('application/json') ? (JSON.parse(r.body.toString('utf8')) as Record<string, string>) : WebhookReceiver.formFields(r);
}
async function delivered(): Promise<Received[]> {
  await sim.state.callbacks.idle();
  return receiver.received;
}

beforeEach(async () => {
  clock = NOW;
  receiver = new WebhookReceiver();
  await receiver.start();
  sim = createExotelSimulator({ seed: 11, calls: 6, now: () => clock });
  await sim.start();
  const account = ExotelAccount.parse({ id: 'exo', label: 'Exotel', ...sim.accountSettings(), v1Format: 'json' });
  client = new ExotelClient(account, sim.credentials, { timeoutMs: 2000, maxReadRetries: 0, sleep: async () => {} });
});
afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

describe('the terminal StatusCallback of a monitor leg', () => {
  for (const contentType of ['application/json', 'multipart/form-data'] as const) {
    it(`hung up with PUT {"Action":"hangup"}: the document's payload as ${contentType}`, async () => {
      const c = liveInbound();
      const leg = await createLeg(c, { StatusCallbackContentType: contentType });
      clock += 20_000;
      await client.upgradeLeg(c.sid, leg.Sid!, 'whisper');
      // Nothing is sent while the leg lives.
      expect(await delivered()).toHaveLength(0);
      clock += 32_000;
      await client.hangupLeg(c.sid, leg.Sid!);
      const got = await delivered();
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ method: 'POST', path: '/exotel/legs' });
      expect(got[0]!.contentType.split(';')[0]).toBe(contentType);
      const fields = await fieldsOf(got[0]!);
      expect(Object.keys(fields)).toEqual(TERMINAL_FIELDS);
      // v1 dates are zone-less IST: 10:40 UTC is 16:10.
      expect(fields).toEqual({
        LegSid: leg.Sid,
        CallSid: c.sid,
        AccountSid: sim.state.accountSid,
        DateCreated: '2024-06-15 16:10:00',
        DateUpdated: '2024-06-15 16:10:52',
        StartTime: '2024-06-15 16:10:00',
        EndTime: '2024-06-15 16:10:52',
        PhoneNumber: SUPERVISOR,
        Status: 'completed',
        OnCallDuration: '52',
        Origin: 'monitor',
        LastAction: 'whisper',
        CustomField: 'LegsCustom',
        EventType: 'terminal',
      });
      expect(sim.state.callbacks).toMatchObject({ delivered: 1, failed: 0 });
    });
  }

  it('without StatusCallbackContentType it is sent as multipart/form-data', async () => {
    const c = liveInbound();
    const leg = await client.createLeg(c.sid, { Action: 'barge', TargetLegSid: agentLegOf(c).sid, PhoneNumber: SUPERVISOR, StatusCallback: receiver.url });
    await client.hangupLeg(c.sid, leg.Sid!);
    const [r] = await delivered();
    expect(r!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const fields = await fieldsOf(r!);
    // No CustomField was given, so none comes back.
    expect(Object.keys(fields)).toEqual(TERMINAL_FIELDS.filter((f) => f !== 'CustomField'));
    expect(fields).toMatchObject({ LegSid: leg.Sid, LastAction: 'barge', EventType: 'terminal', OnCallDuration: '0' });
  });

  it('is sent when the call ends under the leg: the customer leg hung up through the API', async () => {
    const c = liveInbound();
    const customer = c.legs.find((l) => l.origin === 'inbound')!;
    const leg = await createLeg(c);
    clock += 7_000;
    await client.hangupLeg(c.sid, customer.sid);
    expect(sim.state.calls.has(c.sid)).toBe(false);
    const got = await delivered();
    expect(got).toHaveLength(1);
    expect(await fieldsOf(got[0]!)).toMatchObject({ LegSid: leg.Sid, CallSid: c.sid, Status: 'completed', OnCallDuration: '7', LastAction: 'listen', EventType: 'terminal' });
  });

  it('is sent when the call ends on tick', async () => {
    const c = liveInbound();
    const leg = await createLeg(c);
    for (let i = 0; i < 5000 && sim.state.calls.has(c.sid); i += 1) sim.tick();
    expect(sim.state.calls.has(c.sid)).toBe(false);
    const got = await delivered();
    expect(got).toHaveLength(1);
    expect(await fieldsOf(got[0]!)).toMatchObject({ LegSid: leg.Sid, CallSid: c.sid, Status: 'completed', EventType: 'terminal' });
  });

  it('is not sent for a leg created without a StatusCallback, or with the sample\'s empty one', async () => {
    const c = liveInbound();
    const a = await client.createLeg(c.sid, { Action: 'listen', TargetLegSid: agentLegOf(c).sid, PhoneNumber: SUPERVISOR });
    const b = await createLeg(c, { StatusCallback: '' });
    await client.hangupLeg(c.sid, a.Sid!);
    await client.hangupLeg(c.sid, b.Sid!);
    sim.state.endCall(c.sid);
    expect(await delivered()).toHaveLength(0);
    expect(sim.state.callbacks).toMatchObject({ delivered: 0, failed: 0 });
  });
});

describe('StatusCallback delivery never affects the API', () => {
  it('a receiver that is down: the hang-up succeeds and the failure is only counted', async () => {
    const c = liveInbound();
    const leg = await createLeg(c, { StatusCallback: await downUrl() });
    expect(await client.hangupLeg(c.sid, leg.Sid!)).toMatchObject({ Status: 'completed' });
    await sim.state.callbacks.idle();
    expect(sim.state.callbacks).toMatchObject({ delivered: 0, failed: 1 });
  });

  it('a receiver that never answers does not slow the hang-up; the delivery times out and is counted', async () => {
    receiver.hang = true;
    sim.state.callbacks.timeoutMs = 300;
    const c = liveInbound();
    const leg = await createLeg(c);
    const t0 = performance.now();
    await client.hangupLeg(c.sid, leg.Sid!);
    expect(performance.now() - t0).toBeLessThan(250);
    await sim.state.callbacks.idle();
    expect(receiver.received).toHaveLength(1);
    expect(sim.state.callbacks).toMatchObject({ delivered: 0, failed: 1 });
  });
});
