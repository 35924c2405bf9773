// Every monitoring mode on a call of every vendor, clicked in the grid in Chromium: the row shows the
// active mode, and the vendor's simulator received exactly the requests that vendor needs (with the
// right session type, action or verb, and the supervisor's phone), then exactly the stop request.
// Mode changes are checked at the simulator too: Exotel upgrades its leg in place; Engage Voice
// ends its session and adds a new one.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { Call, MonitorMode, Vendor } from '../../main/domain/model.js';
import type { AudianSimulator } from '../../main/vendors/audian/simulator.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import { SIM_ACCOUNT_ID as EV_ACCOUNT } from '../../main/vendors/engage-voice/sim-state.js';
import type { ExotelSimulator } from '../../main/vendors/exotel/simulator.js';
import type { LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';
import type { LoggedRequest } from '../../main/vendors/shared/sim-server.js';
import { openConsole, type OpenedConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';
import { clickRequests, jsonOf, LABEL, lines, liveCalls, showCall } from './sim-helpers.js';

let host: InProcessConsole;
let page: Page;
let opened: OpenedConsole;

// One console and one page for the whole file: each test uses its own call, and stops what it starts.
test.beforeAll(async ({ browser }: { browser: Browser }) => {
  host = await startInProcessConsole();
  page = await browser.newPage();
  opened = await openConsole(page, { url: host.url } as never);
});
test.afterAll(async () => {
  await page?.close();
  await host?.stop();
});
test.afterEach(() => {
  expect(opened.cspViolations).toEqual([]);
});

const EV_SESSION = { listen: 'MONITOR', whisper: 'COACHING', barge: 'BARGEIN' } as const;
const LV_VERB = { listen: 'listen', whisper: 'coach', barge: 'barge' } as const;
const LV = '/callControl/supervisor/monitor';
const MODES: MonitorMode[] = ['listen', 'whisper', 'barge'];

const sim = <T>(vendor: Vendor): T => host.centre.byVendor(vendor).sim as unknown as T;
const phoneOf = (vendor: Vendor): string => host.centre.byVendor(vendor).config.supervisorPhone!;
const evPath = (call: Call, verb: string): string => `/voice/api/v1/admin/accounts/${EV_ACCOUNT}/activeCalls/${call.vendorCallId}/${verb}`;
const exBase = (call: Call): string => `/v1/Accounts/${sim<ExotelSimulator>('exotel').state.accountSid}/Calls/${call.vendorCallId}`;
const loginIdOf = (call: Call): string => call.agentKey!.slice(call.accountId.length + 1);

function exotelMonitorLegs(call: Call) {
  return sim<ExotelSimulator>('exotel').state.calls.get(call.vendorCallId)!.legs.filter((l) => l.origin === 'monitor');
}

/** Clicks a monitor button on the row and waits until the grid shows the outcome. */
async function click(row: Locator, mode: MonitorMode, stop: boolean): Promise<void> {
  await row.getByRole('button', { name: new RegExp(`^${stop ? 'Stop ' : ''}${LABEL[mode]} on call`) }).click();
}

async function expectActive(row: Locator, mode: MonitorMode): Promise<void> {
  await expect(row.getByRole('button', { name: new RegExp(`^Stop ${LABEL[mode]} on call`) })).toHaveAttribute('aria-pressed', 'true');
  for (const other of MODES.filter((m) => m !== mode)) {
    await expect(row.getByRole('button', { name: new RegExp(`^${LABEL[other]} on call`) })).toHaveAttribute('aria-pressed', 'false');
  }
  await expect(row.locator('.cell.watchers')).toHaveText(`You: ${mode}`);
  await expect(page.getByTestId('monitoring-indicator').locator('.badge')).toHaveText(mode);
}

async function expectIdle(row: Locator): Promise<void> {
  for (const m of MODES) await expect(row.getByRole('button', { name: new RegExp(`^${LABEL[m]} on call`) })).toHaveAttribute('aria-pressed', 'false');
  await expect(row.locator('.cell.watchers')).toHaveText('');
  await expect(page.getByTestId('monitoring-indicator')).toHaveCount(0);
}

/** The requests since the log was cleared, once the click's answer is on screen. */
function taken(vendor: Vendor): LoggedRequest[] {
  return clickRequests(host.centre.byVendor(vendor).sim.server.log);
}
function clear(vendor: Vendor): void {
  host.centre.byVendor(vendor).sim.server.clearLog();
}

/** What each vendor must have received to start `mode` on `call`, and the simulator's resulting state. */
function expectStarted(vendor: Vendor, call: Call, mode: MonitorMode, log: LoggedRequest[], audioPathWasUp = false): void {
  const phone = phoneOf(vendor);
  switch (vendor) {
    case 'engage-voice': {
      expect(lines(log)).toEqual([`POST ${evPath(call, 'addSessionToCall')}`]);
      expect(log[0]!.query).toEqual({ destination: phone, sessionType: EV_SESSION[mode] });
      expect([...sim<EngageVoiceSimulator>(vendor).state.calls.get(call.vendorCallId)!.sessions]).toEqual([[phone, EV_SESSION[mode]]]);
      return;
    }
    case 'exotel': {
      expect(lines(log)).toEqual([`GET ${exBase(call)}/ActiveLegs.json`, `POST ${exBase(call)}/Legs.json`]);
      const simCall = sim<ExotelSimulator>(vendor).state.calls.get(call.vendorCallId)!;
      const agentLeg = simCall.legs.find((l) => l.number === simCall.agent?.phone);
      expect(agentLeg, 'the agent leg of the call').toBeDefined();
      expect(jsonOf(log[1])).toMatchObject({ Action: mode, TargetLegSid: agentLeg!.sid, PhoneNumber: phone });
      const legs = exotelMonitorLegs(call);
      expect(legs.map((l) => [l.lastAction, l.number])).toEqual([[mode, phone]]);
      return;
    }
    case 'livevox': {
      const verb = LV_VERB[mode];
      expect(lines(log)).toEqual([`GET ${LV}/state`, ...(audioPathWasUp ? [] : [`POST ${LV}/start`]), `POST ${LV}/${verb}`]);
      if (!audioPathWasUp) expect(log[1]!.query).toEqual({ numberToDial: phone });
      expect(log[log.length - 1]!.query).toEqual({ agentLoginId: loginIdOf(call) });
      const m = sim<LiveVoxSimulator>(vendor).state.monitor;
      expect({ activeCall: m.activeCall, verb: m.verb, agent: m.agentLoginId }).toEqual({ activeCall: true, verb, agent: loginIdOf(call) });
      return;
    }
    case 'audian': {
      expect(lines(log)).toEqual([`POST /v2/calls/${call.vendorCallId}/conference`]);
      expect(jsonOf(log[0])).toEqual({ participant: phone });
      expect(sim<AudianSimulator>(vendor).state.find(call.vendorCallId)!.participants).toContain(phone);
      return;
    }
  }
}

test.describe('each monitoring mode on each vendor', () => {
  const cases: { vendor: Vendor; mode: MonitorMode; nth: number }[] = [
    ...(['engage-voice', 'exotel', 'livevox'] as const).flatMap((vendor) => MODES.map((mode, nth) => ({ vendor, mode, nth }))),
    { vendor: 'audian', mode: 'barge', nth: 0 },
  ];
  for (const { vendor, mode, nth } of cases) {
    test(`${mode} on ${vendor}: indicator, the vendor's requests, then stop`, async () => {
      const call = liveCalls(host, vendor, vendor !== 'audian')[nth]!;
      expect(call, `a ${vendor} call in progress`).toBeDefined();
      const row = await showCall(page, call);
      // LiveVox: dial the supervisor's audio path first for listen and barge; for whisper it is already up.
      const lvPathUp = mode === 'whisper';
      if (vendor === 'livevox') sim<LiveVoxSimulator>(vendor).state.monitor.activeCall = lvPathUp;

      clear(vendor);
      await click(row, mode, false);
      await expectActive(row, mode);
      expectStarted(vendor, call, mode, taken(vendor), lvPathUp);

      const phone = phoneOf(vendor);
      switch (vendor) {
        case 'engage-voice': {
          clear(vendor);
          await click(row, mode, true);
          await expectIdle(row);
          const log = taken(vendor);
          expect(lines(log)).toEqual([`POST ${evPath(call, 'hangupSession')}`]);
          expect(log[0]!.query).toEqual({ phone });
          expect(sim<EngageVoiceSimulator>(vendor).state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
          break;
        }
        case 'exotel': {
          const [leg] = exotelMonitorLegs(call);
          clear(vendor);
          await click(row, mode, true);
          await expectIdle(row);
          const log = taken(vendor);
          expect(lines(log)).toEqual([`PUT ${exBase(call)}/Legs/${leg!.sid}.json`]);
          expect(jsonOf(log[0])).toEqual({ Action: 'hangup' });
          expect(exotelMonitorLegs(call)).toEqual([]);
          break;
        }
        case 'livevox': {
          const state = sim<LiveVoxSimulator>(vendor).state;
          if (mode === 'listen') {
            // While the audio path is up LiveVox cannot end it: the click asks for not one request
            // more than the state read, says why, and the session stays shown.
            clear(vendor);
            await click(row, mode, true);
            await expect(page.getByTestId('toast').filter({ hasText: 'hang up the phone LiveVox dialled' })).toBeVisible();
            expect(lines(taken(vendor))).toEqual([`GET ${LV}/state`]);
            await expectActive(row, mode);
          }
          // The supervisor hangs up their phone: now stopping succeeds, after one state read.
          state.monitor.activeCall = false;
          clear(vendor);
          await click(row, mode, true);
          await expectIdle(row);
          expect(lines(taken(vendor))).toEqual([`GET ${LV}/state`]);
          break;
        }
        case 'audian': {
          const conf = sim<AudianSimulator>(vendor).state.find(call.vendorCallId)!.conference_id!;
          clear(vendor);
          await click(row, mode, true);
          await expectIdle(row);
          const log = taken(vendor);
          expect(lines(log)).toEqual([`POST /v2/conferences/${conf}/participants/${phone}/remove`]);
          expect(sim<AudianSimulator>(vendor).state.find(call.vendorCallId)!.participants).not.toContain(phone);
          break;
        }
      }
    });
  }
});

test.describe('changing mode', () => {
  test('Exotel: up a mode is one in-place PUT on the same leg; down a mode is a new leg', async () => {
    const vendor = 'exotel';
    const call = liveCalls(host, vendor, true)[3]!;
    const row = await showCall(page, call);
    clear(vendor);
    await click(row, 'listen', false);
    await expectActive(row, 'listen');
    expectStarted(vendor, call, 'listen', taken(vendor));
    const [leg] = exotelMonitorLegs(call);

    clear(vendor);
    await click(row, 'whisper', false);
    await expectActive(row, 'whisper');
    let log = taken(vendor);
    expect(lines(log)).toEqual([`PUT ${exBase(call)}/Legs/${leg!.sid}.json`]);
    expect(jsonOf(log[0])).toEqual({ Action: 'whisper' });
    expect(exotelMonitorLegs(call).map((l) => [l.sid, l.lastAction])).toEqual([[leg!.sid, 'whisper']]);

    // Exotel documents no step down in place: the leg is hung up and a listen leg dialled.
    clear(vendor);
    await click(row, 'listen', false);
    await expectActive(row, 'listen');
    log = taken(vendor);
    expect(lines(log)).toEqual([`PUT ${exBase(call)}/Legs/${leg!.sid}.json`, `GET ${exBase(call)}/ActiveLegs.json`, `POST ${exBase(call)}/Legs.json`]);
    expect(jsonOf(log[0])).toEqual({ Action: 'hangup' });
    expect(jsonOf(log[2])).toMatchObject({ Action: 'listen' });
    const [fresh] = exotelMonitorLegs(call);
    expect(fresh!.sid).not.toBe(leg!.sid);

    clear(vendor);
    await click(row, 'listen', true);
    await expectIdle(row);
    expect(lines(taken(vendor))).toEqual([`PUT ${exBase(call)}/Legs/${fresh!.sid}.json`]);
  });

  test('Engage Voice: a new mode ends the session (hangupSession) and adds one of the new type', async () => {
    const vendor = 'engage-voice';
    const phone = phoneOf(vendor);
    const call = liveCalls(host, vendor, true)[3]!;
    const row = await showCall(page, call);
    clear(vendor);
    await click(row, 'whisper', false);
    await expectActive(row, 'whisper');
    expectStarted(vendor, call, 'whisper', taken(vendor));

    clear(vendor);
    await click(row, 'barge', false);
    await expectActive(row, 'barge');
    const log = taken(vendor);
    expect(lines(log)).toEqual([`POST ${evPath(call, 'hangupSession')}`, `POST ${evPath(call, 'addSessionToCall')}`]);
    expect(log[0]!.query).toEqual({ phone });
    expect(log[1]!.query).toEqual({ destination: phone, sessionType: 'BARGEIN' });
    expect([...sim<EngageVoiceSimulator>(vendor).state.calls.get(call.vendorCallId)!.sessions]).toEqual([[phone, 'BARGEIN']]);

    clear(vendor);
    await click(row, 'barge', true);
    await expectIdle(row);
    expect(lines(taken(vendor))).toEqual([`POST ${evPath(call, 'hangupSession')}`]);
  });
});
