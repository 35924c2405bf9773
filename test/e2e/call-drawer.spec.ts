// The call drawer's actions end to end, in Chromium against the engine and the vendor simulators:
// touch tones sent and gathered (Audian), a disposition with a callback date (Engage Voice, whose
// callBackDTS is yyyyMMddHHmmss), hang up behind a confirmation that no toast covers, and a vendor's
// own error message in the toast when the simulator is made to fail. Toasts are left to expire on
// their own between tests, as they do for a supervisor.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { Call, Vendor } from '../../main/domain/model.js';
import type { AudianSimulator } from '../../main/vendors/audian/simulator.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import { SIM_ACCOUNT_ID as EV_ACCOUNT } from '../../main/vendors/engage-voice/sim-state.js';
import type { LoggedRequest } from '../../main/vendors/shared/sim-server.js';
import { openConsole, type OpenedConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';
import { clickRequests, jsonOf, lines, liveCalls, showCall } from './sim-helpers.js';

let host: InProcessConsole;
let page: Page;
let opened: OpenedConsole;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  host = await startInProcessConsole();
  // A supervisor east of UTC: the callback time they pick is their wall clock, not the account's.
  page = await browser.newPage({ timezoneId: 'Asia/Kolkata' });
  opened = await openConsole(page, { url: host.url } as never);
});
test.afterAll(async () => {
  await page?.close();
  await host?.stop();
});
test.afterEach(async () => {
  host.centre.accounts.forEach((a) => a.sim.server.clearFaults());
  const close = page.getByRole('button', { name: 'Close call details' });
  if (await close.isVisible()) await close.click();
  expect(opened.cspViolations).toEqual([]);
});

const sim = <T>(vendor: Vendor): T => host.centre.byVendor(vendor).sim as unknown as T;
const clear = (vendor: Vendor): void => host.centre.byVendor(vendor).sim.server.clearLog();
/** What the drawer's clicks sent: the drawer's own detail reads (GET) are left out. */
const actions = (vendor: Vendor): LoggedRequest[] => clickRequests(host.centre.byVendor(vendor).sim.server.log).filter((r) => r.method !== 'GET');
const toast = (text: string | RegExp): Locator => page.getByTestId('toast').filter({ hasText: text });

async function openDrawer(call: Call): Promise<Locator> {
  const row = await showCall(page, call);
  await row.locator('.cell.duration').click();
  const drawer = page.getByTestId('call-drawer');
  await expect(drawer.getByRole('heading', { level: 2 })).toHaveText(`${call.from ?? 'Unknown'} → ${call.to ?? 'Unknown'}`);
  return drawer;
}

test('touch tones: send digits, and gather shows the digits Audian collected', async () => {
  const call = liveCalls(host, 'audian')[0]!;
  const state = sim<AudianSimulator>('audian').state;
  const drawer = await openDrawer(call);
  const tones = drawer.getByRole('group', { name: 'Touch tones' });

  // Not DTMF: refused in the form, nothing sent.
  await tones.getByLabel('Digits to send').fill('12x');
  await expect(tones.getByText('Use 0-9, *, # and A-D')).toBeVisible();
  await expect(tones.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();

  clear('audian');
  await tones.getByLabel('Digits to send').fill('12#');
  await tones.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(toast('Tones sent: done')).toBeVisible();
  let log = actions('audian');
  expect(lines(log)).toEqual([`POST /v2/calls/${call.vendorCallId}/send-dtmf`]);
  expect(jsonOf(log[0])).toEqual({ digits: '12#' });
  expect(state.find(call.vendorCallId)!.dtmfSent).toEqual(['12#']);

  // The caller "presses" 4821: the drawer shows exactly what Audian answered.
  const digits = state.digits.bind(state);
  state.digits = (n: number) => '4821'.slice(0, n);
  try {
    clear('audian');
    await tones.getByLabel('Prompt').fill('Enter your PIN');
    await tones.getByLabel('Max digits').fill('4');
    await tones.getByRole('button', { name: 'Gather' }).click();
    await expect(drawer.getByTestId('digits')).toHaveText('Digits collected: 4821');
    log = actions('audian');
    expect(lines(log)).toEqual([`POST /v2/calls/${call.vendorCallId}/gather-dtmf`]);
    expect(jsonOf(log[0])).toEqual({ prompt: 'Enter your PIN', max_digits: 4 });
  } finally {
    state.digits = digits;
  }
  await expect(drawer.getByRole('list').getByText('call.dtmf.gather')).toBeVisible();
});

test('disposition with a callback date: Engage Voice gets callBackDTS as yyyyMMddHHmmss', async () => {
  const call = liveCalls(host, 'engage-voice')[0]!;
  const drawer = await openDrawer(call);
  const form = drawer.getByRole('group', { name: 'Disposition' });
  await form.getByLabel('Disposition').fill('Callback');
  await form.getByRole('checkbox', { name: 'Callback' }).check();
  // A callback needs its time: refused in the form until there is one.
  await expect(form.getByText('Choose when to call back')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Set disposition' })).toBeDisabled();
  // 14:30 on 6 May 2030 in Kolkata (UTC+05:30) is 09:00 UTC; the simulated account's zone is UTC.
  await form.getByLabel('Call back at').fill('2030-05-06T14:30');
  await form.getByLabel('Notes').fill('Wants the renewal quote');

  clear('engage-voice');
  await form.getByRole('button', { name: 'Set disposition' }).click();
  await expect(toast('Disposition set: done')).toBeVisible();
  const log = actions('engage-voice');
  expect(lines(log)).toEqual([`POST /voice/api/v1/admin/accounts/${EV_ACCOUNT}/activeCalls/${call.vendorCallId}/dispositionCall`]);
  expect(log[0]!.query).toEqual({ disposition: 'Callback', callback: 'true', callBackDTS: '20300506090000', notes: 'Wants the renewal quote' });
  expect(log[0]!.status).toBe(200);
  expect(sim<EngageVoiceSimulator>('engage-voice').state.calls.get(call.vendorCallId)!.disposition).toBe('Callback');
  await expect(drawer.getByRole('list').getByText(/call\.disposition \(Callback callback 2030-05-06T09:00:00\.000Z\)/)).toBeVisible();
});

test('hang up asks first: Cancel sends nothing, "Yes, hang up" sends one hangup, and no toast is in the way', async () => {
  const call = liveCalls(host, 'audian')[1]!;
  const drawer = await openDrawer(call);
  const actionsSection = drawer.getByRole('region', { name: 'Call actions' });

  // Tones sent three times in a row: one toast counts them (no stack of three), and it stays up.
  // (An earlier test's "Tones sent" toast may still be up: the sends add to its count.)
  const tones = drawer.getByRole('group', { name: 'Touch tones' });
  const send = tones.getByRole('button', { name: 'Send', exact: true });
  const sent = toast('Tones sent: done');
  await tones.getByLabel('Digits to send').fill('9');
  let count = 0;
  for (const n of [1, 2, 3]) {
    await send.click();
    await expect(send).toBeEnabled(); // the answer is in, and its toast raised
    await expect(sent).toHaveCount(1);
    const now = Number(await sent.getAttribute('data-count'));
    if (n > 1) expect(now).toBe(count + 1);
    count = now;
  }
  await expect(sent.getByTestId('toast-count')).toContainText(`×${count}`);
  await expect(sent).toHaveAttribute('role', 'status');
  expect(sim<AudianSimulator>('audian').state.find(call.vendorCallId)!.dtmfSent).toEqual(['9', '9', '9']);

  // With the toast still up, every hang-up button takes the click at once: no toast over the drawer.
  const now = { timeout: 1_000 };
  const apart = async (): Promise<void> => {
    const d = (await drawer.boundingBox())!;
    const boxes = await page.getByTestId('toast').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes.length, 'a toast is up').toBeGreaterThan(0);
    for (const t of boxes) expect(t.right <= d.x || t.left >= d.x + d.width || t.bottom <= d.y || t.top >= d.y + d.height, `toast ${JSON.stringify(t)} clear of the drawer`).toBe(true);
  };
  clear('audian');
  await actionsSection.getByRole('button', { name: 'Hang up…' }).click(now);
  await expect(actionsSection.getByText('Hang up this call for everyone?')).toBeVisible();
  await apart();
  await actionsSection.getByRole('button', { name: 'Cancel' }).click(now);
  await expect(actionsSection.getByText('Hang up this call for everyone?')).toBeHidden();
  expect(sim<AudianSimulator>('audian').state.find(call.vendorCallId)!.status).toBe('answered');

  await actionsSection.getByRole('button', { name: 'Hang up…' }).click(now);
  await apart();
  await actionsSection.getByRole('button', { name: 'Yes, hang up' }).click(now);
  await expect(toast('Call ended: done')).toBeVisible();
  // One request in all since the first click: the cancelled confirmation sent nothing.
  expect(lines(actions('audian'))).toEqual([`POST /v2/calls/${call.vendorCallId}/hangup`]);
  expect(sim<AudianSimulator>('audian').state.find(call.vendorCallId)!.status).toBe('completed');
  await expect(page.locator(`[data-call-key="${call.key}"]`)).toHaveCount(0);
});

test("a vendor error's toast carries the vendor's own message", async () => {
  // Audian answers the hold with its error body: 503 {"error":"service_unavailable","message":"Service unavailable"}.
  const call = liveCalls(host, 'audian').filter((c) => c.onHold !== true)[2]!;
  const drawer = await openDrawer(call);
  const audian = host.centre.byVendor('audian').sim.server;
  audian.injectFault({ kind: 'status', status: 503, times: 1, match: /^POST \/v2\/calls\/[^/]+\/hold$/ });
  clear('audian');
  await drawer.getByRole('button', { name: 'Hold', exact: true }).click();
  const failed = page.getByTestId('toast').filter({ hasText: 'Vendor said: Service unavailable' });
  await expect(failed).toBeVisible();
  await expect(failed).toHaveAttribute('role', 'alert');
  expect(actions('audian').map((r) => [`${r.method} ${r.path}`, r.status])).toEqual([[`POST /v2/calls/${call.vendorCallId}/hold`, 503]]);
  await expect(drawer.getByRole('button', { name: 'Hold', exact: true })).toBeEnabled();
  expect(sim<AudianSimulator>('audian').state.find(call.vendorCallId)!.on_hold).toBe(false);
  await expect(drawer.getByRole('list').getByText('call.hold')).toBeVisible();
  await page.getByRole('button', { name: 'Close call details' }).click();

  // Exotel refuses the monitor leg (v1 RestException, JSON): the click's toast says what Exotel said.
  const exotel = host.centre.byVendor('exotel').sim.server;
  const exCall = liveCalls(host, 'exotel', true)[0]!;
  const row = await showCall(page, exCall);
  exotel.injectFault({ kind: 'status', status: 429, retryAfterSec: 1, times: 1, match: /^POST .*\/Legs(\.json)?$/ });
  await row.getByRole('button', { name: /^Listen on call/ }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Vendor said: Too many requests' })).toBeVisible();
  await expect(row.getByRole('button', { name: /^Listen on call/ })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('monitoring-indicator')).toHaveCount(0);
});
