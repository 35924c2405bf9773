// Audian's webhook events (audian-call-actions.txt, "Real-Time Call Monitoring") as the simulator
// sends them: the documented API is driven through AudianClient, a loopback receiver records the
// POSTs, and each event is folded into the call with the product's applyWebhookEvent, which must
// agree with what the next poll (channel list + call status, normalised) shows. The desktop app
// itself polls; these tests keep the events and the poll telling the same story.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call } from '../../main/domain/model.js';
import { AudianClient } from '../../main/vendors/audian/client.js';
import { applyWebhookEvent, callStatus, callStatusToDetail, channelsToCalls, conferenceInfo, unwrap } from '../../main/vendors/audian/normalise.js';
import type { SimCall } from '../../main/vendors/audian/sim-state.js';
import { UNREACHABLE_DESTINATION, createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../main/vendors/audian/types.js';
import { WebhookReceiver, downUrl } from '../helpers/webhook-receiver.js';

const NOW = Date.UTC(2024, 0, 15, 10, 35, 0);
const AT = '2024-01-15T10:35:00Z';
let receiver: WebhookReceiver;
let sim: AudianSimulator;
let client: AudianClient;

async function startSim(webhookUrl?: string): Promise<void> {
  sim = createAudianSimulator({ seed: 11, calls: 30, now: () => NOW, ...(webhookUrl === undefined ? {} : { webhookUrl }) });
  await sim.start();
  client = new AudianClient({ baseUrl: sim.server.baseUrl, authHeader: 'x-auth-token' }, sim.credentials, { timeoutMs: 2000, sleep: async () => {} });
}
function answered(): SimCall {
  for (const c of sim.state.live.values()) if (c.status === 'answered' && !c.on_hold && !c.muted) return c;
  throw new Error('no answered call in the scenario');
}

/** The events received since the last call, after every queued delivery has settled. */
let seen = 0;
async function newEvents(): Promise<WebhookEvent[]> {
  await sim.state.webhooks.idle();
  const all = receiver.json() as WebhookEvent[];
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

/** The call as a poll sees it: the channel list (gone = ended) plus GET /v2/calls/{id} for hold and mute. */
async function poll(id: string, before: Call): Promise<{ call: Call; listed: boolean }> {
  const listed = channelsToCalls('acc', await client.listChannels()).find((c) => c.vendorCallId === id);
  const status = await client.callStatus(id);
  const detail = callStatusToDetail(status, listed ?? before);
  const call = { ...(listed ?? before), onHold: detail.onHold, muted: detail.muted, status: callStatus(unwrap(status)?.status, detail.onHold) };
  return { call, listed: listed !== undefined };
}
/** What the events speak about. */
const view = (c: Call) => ({ status: c.status, onHold: c.onHold, muted: c.muted, from: c.from, to: c.to });
const withoutStatus = (body: object): Record<string, unknown> => {
  const { status: _word, ...rest } = body as Record<string, unknown>;
  return rest;
};

beforeEach(async () => {
  receiver = new WebhookReceiver();
  await receiver.start();
  seen = 0;
});
afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

describe('webhook events for changes made through the API', () => {
  beforeEach(() => startSim(`${receiver.url}/hooks/audian`));

  it('sends each documented event once, in the document shape, and folding them agrees with the next poll', async () => {
    const c = answered();
    const id = c.call_id;
    const firstListed = channelsToCalls('acc', await client.listChannels()).find((x) => x.vendorCallId === id)!;
    let call = (await poll(id, firstListed)).call;
    expect(view(call)).toMatchObject({ status: 'in_progress', onHold: false, muted: false });
    const oldTo = c.to;
    const steps: [string, () => Promise<object>, WebhookEvent][] = [
      ['hold', () => client.hold(id), { event: 'call.held', data: { call_id: id, held_at: AT } }],
      ['resume', () => client.resume(id), { event: 'call.resumed', data: { call_id: id, resumed_at: AT } }],
      ['mute', () => client.mute(id), { event: 'call.muted', data: { call_id: id, muted: true, muted_at: AT } }],
      ['unmute', () => client.unmute(id), { event: 'call.unmuted', data: { call_id: id, muted: false, unmuted_at: AT } }],
      [
        'transfer',
        () => client.transfer(id, { destination: '+14155552673', transfer_type: 'blind' }),
        { event: 'call.transferred', data: { call_id: id, transfer_from: oldTo, transfer_to: '+14155552673', transferred_at: AT } },
      ],
      ['gather-dtmf', () => client.gatherDtmf(id, { prompt: 'Press 1 for billing', max_digits: 3 }), { event: 'ivr.input_received', data: { call_id: id, digits_collected: expect.stringMatching(/^\d{3}$/), input_type: 'dtmf' } }],
      ['hangup', () => client.hangup(id), { event: 'call.completed', data: { call_id: id, ended_at: AT } }],
    ];
    for (const [name, act, expected] of steps) {
      const answer = await act();
      const events = await newEvents();
      expect(events, name).toEqual([expected]);
      // Each event carries what its action's answer carries, less the status word.
      expect(events[0]!.data, name).toEqual(withoutStatus(answer));
      call = events.reduce(applyWebhookEvent, call);
      const polled = await poll(id, call);
      expect(view(call), name).toEqual(view(polled.call));
      expect(polled.listed, name).toBe(name !== 'hangup');
    }
    expect(receiver.received.every((r) => r.method === 'POST' && r.path === '/hooks/audian' && r.contentType === 'application/json')).toBe(true);
    expect(new Set(receiver.json().map((e) => (e as WebhookEvent).event))).toEqual(new Set(WEBHOOK_EVENTS));
    expect(sim.state.webhooks).toMatchObject({ delivered: 7, failed: 0 });
  });

  it('an attended transfer that holds the original call sends call.transferred then call.held, as the poll shows', async () => {
    const id = answered().call_id;
    const firstListed = channelsToCalls('acc', await client.listChannels()).find((x) => x.vendorCallId === id)!;
    let call = (await poll(id, firstListed)).call;
    await client.transfer(id, { destination: '+14155552673', transfer_type: 'attended', hold_original: true });
    const events = await newEvents();
    expect(events.map((e) => e.event)).toEqual(['call.transferred', 'call.held']);
    expect(events[1]!.data).toEqual({ call_id: id, held_at: AT });
    call = events.reduce(applyWebhookEvent, call);
    expect(view(call)).toEqual(view((await poll(id, call)).call));
    expect(call.onHold).toBe(true);
  });

  it('hanging up a ringing call sends call.completed', async () => {
    const ringing = [...sim.state.live.values()].find((x) => x.status === 'ringing')!;
    await client.hangup(ringing.call_id);
    expect(await newEvents()).toEqual([{ event: 'call.completed', data: { call_id: ringing.call_id, ended_at: AT } }]);
  });

  it('sends nothing for refused actions, for actions that change no documented state, or for reads', async () => {
    const id = answered().call_id;
    await expect(client.transfer(id, { destination: UNREACHABLE_DESTINATION })).rejects.toMatchObject({ code: 'action_failed' });
    await expect(client.resume(id)).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(client.hold('call_nope')).rejects.toMatchObject({ code: 'not_found' });
    await client.playAudio(id, { message: 'Please hold', participant: 'both' });
    await client.sendDtmf(id, { digits: '12' });
    const conf = await client.conference(id, { participant: '+14155552673' });
    await client.removeParticipant(conferenceInfo(conf).conferenceId, '+14155552673');
    await client.callStatus(id);
    await client.listChannels();
    expect(await newEvents()).toEqual([]);
    expect(sim.state.webhooks).toMatchObject({ delivered: 0, failed: 0 });
  });
});

describe('webhook delivery never affects the API', () => {
  it('is off without a webhook URL', async () => {
    await startSim();
    const id = answered().call_id;
    await client.hold(id);
    await client.hangup(id);
    await sim.state.webhooks.idle();
    expect(receiver.received).toHaveLength(0);
    expect(sim.state.webhooks).toMatchObject({ delivered: 0, failed: 0 });
  });

  it('a receiver that is down: the action succeeds and the failure is only counted', async () => {
    await startSim(await downUrl());
    const id = answered().call_id;
    expect(await client.hold(id)).toMatchObject({ status: 'held' });
    expect(await client.resume(id)).toMatchObject({ status: 'resumed' });
    await sim.state.webhooks.idle();
    expect(sim.state.webhooks).toMatchObject({ delivered: 0, failed: 2 });
  });

  it('a receiver that never answers does not slow the action; the delivery times out and is counted', async () => {
    await startSim(receiver.url);
    receiver.hang = true;
    sim.state.webhooks.timeoutMs = 300;
    const id = answered().call_id;
    const t0 = performance.now();
    await client.hold(id);
    await client.mute(id);
    // Both answers came long before even one delivery could time out.
    expect(performance.now() - t0).toBeLessThan(250);
    await sim.state.webhooks.idle();
    expect(sim.state.webhooks).toMatchObject({ delivered: 0, failed: 2 });
    // Sent one at a time in order: the second went out after the first had timed out.
    expect((receiver.json() as WebhookEvent[]).map((e) => e.event)).toEqual(['call.held', 'call.muted']);
  });

  it('a receiver that answers 500 is counted as failed, and the action still succeeds', async () => {
    await startSim(receiver.url);
    receiver.status = 500;
    expect(await client.mute(answered().call_id)).toMatchObject({ muted: true });
    await sim.state.webhooks.idle();
    expect(sim.state.webhooks).toMatchObject({ delivered: 0, failed: 1 });
  });
});
