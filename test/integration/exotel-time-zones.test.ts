// Exotel v1 dates carry no zone. The simulator writes them in an account's own zone; the connector
// must read them back to the instant the leg started, at both daylight-saving changes of a year.
import { afterEach, describe, expect, it } from 'vitest';
import { ExotelAccount } from '../../main/domain/account.js';
import type { MonitorMode } from '../../main/domain/model.js';
import { createExotelConnector, exotelConnectorFactory } from '../../main/vendors/exotel/connector.js';
import { createExotelSimulator, type ExotelSimulator } from '../../main/vendors/exotel/simulator.js';

const utc = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
let sim: ExotelSimulator | null = null;
afterEach(async () => {
  await sim?.stop();
  sim = null;
});

/** Starts a listen on a fresh call at `at` (the simulator's clock) and returns the session's startedAt. */
async function monitorStartedAt(zone: string, at: number, readZone?: string): Promise<number> {
  let now = at;
  sim = createExotelSimulator({ seed: 5, calls: 0, now: () => now, v1TimeZone: zone });
  await sim.start();
  const account = ExotelAccount.parse({ id: 'exo', label: 'Exotel', ...sim.accountSettings() });
  const factory = readZone === undefined ? createExotelConnector : exotelConnectorFactory({ v1TimeZone: readZone });
  const conn = factory(account, sim.credentials, { timeoutMs: 1000, sleep: async () => undefined, now: () => now });
  const c = sim.state.addCall(at - 60_000, 'inbound');
  sim.state.answer(c);
  const call = (await conn.listCalls()).find((x) => x.vendorCallId === c.sid)!;
  const session = await conn.monitor(call, 'listen' as MonitorMode, { supervisorPhone: '+919111111111' }, null);
  // The leg's dates really were zone-less local times (the simulator's POST answer).
  expect(sim.server.log.at(-1)!.method).toBe('POST');
  now += 1000;
  await sim.stop();
  sim = null;
  return session.startedAt;
}

describe('Exotel v1 dates in the account zone', () => {
  it.each([
    ['America/New_York', 'winter, the day before the spring change', utc(2026, 3, 7, 12)],
    ['America/New_York', 'the minute before clocks go forward (01:59 EST)', utc(2026, 3, 8, 6, 59)],
    ['America/New_York', 'the minute after (03:00 EDT)', utc(2026, 3, 8, 7, 0)],
    ['America/New_York', 'summer', utc(2026, 7, 1, 16)],
    ['America/New_York', 'autumn, first 01:30 (EDT)', utc(2026, 11, 1, 5, 30)],
    ['America/New_York', 'autumn, after the repeated hour (02:00 EST)', utc(2026, 11, 1, 7, 0)],
    ['Europe/London', 'the minute before BST (00:59 GMT)', utc(2026, 3, 29, 0, 59)],
    ['Europe/London', 'the first minute of BST (02:00)', utc(2026, 3, 29, 1, 0)],
    ['Europe/London', 'autumn, first 01:30 (BST)', utc(2026, 10, 25, 0, 30)],
    ['Europe/London', 'autumn, after the repeated hour (02:00 GMT)', utc(2026, 10, 25, 2, 0)],
    ['Asia/Kolkata', 'New York spring change day', utc(2026, 3, 8, 7, 0)],
    ['Asia/Kolkata', 'London autumn change day', utc(2026, 10, 25, 1, 0)],
  ])('%s, %s: the session starts when the leg did', async (zone, _when, at) => {
    expect(await monitorStartedAt(zone, at)).toBe(at);
  });

  it('the second pass of a repeated hour reads as the first (the documented choice): an hour early', async () => {
    // 06:30Z is 01:30 EST, the second 01:30 of the night; the vendor string cannot say which.
    expect(await monitorStartedAt('America/New_York', utc(2026, 11, 1, 6, 30))).toBe(utc(2026, 11, 1, 5, 30));
  });

  it('a fixed offset (what accounts had before time zones) is an hour wrong in summer', async () => {
    const at = utc(2026, 7, 1, 16);
    expect(await monitorStartedAt('America/New_York', at, 'UTC-05:00')).toBe(at + 3_600_000);
    expect(await monitorStartedAt('America/New_York', at, 'America/New_York')).toBe(at);
  });
});
