// Text from vendors and from the supervisor is shown as text, never interpreted as markup: agents'
// names, not-ready reasons, agents' chat messages, a vendor's error message, disposition notes and
// account labels carrying <img onerror> and <b> appear literally, no <img> or <b> element is ever
// created, and the onerror handler never runs. The values are seeded into the vendor simulators,
// so they reach the page through the real clients, normalisers, engine and bridge.
import { expect, test, type Page } from '@playwright/test';
import type { Call } from '../../main/domain/model.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import type { ExotelSimulator } from '../../main/vendors/exotel/simulator.js';
import type { LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';
import { STATE } from '../../main/vendors/livevox/sim-state.js';
import type { ReasonCode } from '../../main/vendors/livevox/types.js';
import type { AccountView } from '../../preload/contract.js';
import { openConsole, type OpenedConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';
import { clickRequests, liveCalls, showCall } from './sim-helpers.js';

const XSS = '<img src=x onerror="window.__xss=1">';
const BOLD = '<b>bold</b>';
const LABEL = `${BOLD} ${XSS}`;

let host: InProcessConsole;
/** The seeded call of each vendor whose agent's name is markup. */
let evCall: Call;
let exCall: Call;
const EV_NAME = `${XSS} ${BOLD}`;
const EX_NAME = `${BOLD}${XSS}`;
const LV_NAME = `${BOLD} ${XSS}`;
const LV_REASON = `${XSS} lunch ${BOLD}`;
const LV_CHAT = `${BOLD}? ${XSS}`;

test.beforeAll(async () => {
  host = await startInProcessConsole();
  const ev = host.centre.byVendor('engage-voice').sim as unknown as EngageVoiceSimulator;
  const ex = host.centre.byVendor('exotel').sim as unknown as ExotelSimulator;
  const lv = host.centre.byVendor('livevox').sim as unknown as LiveVoxSimulator;

  // Engage Voice: the agent on a call is named in markup (first and last name).
  evCall = liveCalls(host, 'engage-voice', true)[0]!;
  const evAgent = ev.state.agents.get(ev.state.calls.get(evCall.vendorCallId)!.agentId!)!;
  [evAgent.firstName, evAgent.lastName] = [XSS, BOLD];
  // Exotel: the agent on a call (v3 agent_details.name).
  exCall = liveCalls(host, 'exotel', true)[0]!;
  ex.state.calls.get(exCall.vendorCallId)!.agent!.name = EX_NAME;
  // LiveVox: LV_TEST is named in markup and not ready with a reason LiveVox sends as markup;
  // LV_SEB writes to the supervisor in markup.
  const lvTest = lv.state.agents.get('LV_TEST')!;
  [lvTest.firstName, lvTest.lastName] = [BOLD, XSS];
  lvTest.call = null;
  lv.state.setState(lvTest, STATE.notReady, LV_REASON as ReasonCode);
  lv.state.chats.set('LV_SEB', { canReply: true });
  lv.state.addMessage('LV_SEB', LV_CHAT, 'LV_SEB', true);
  // An account labelled in markup, saved the way the Accounts form saves it.
  const accounts = (await host.core.dispatcher.dispatch('accounts.list', {})) as { ok: true; value: AccountView[] };
  const audian = accounts.value.find((a) => a.config.vendor === 'audian')!.config;
  const saved = await host.core.dispatcher.dispatch('accounts.save', { account: { ...audian, label: LABEL } });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
});
test.afterAll(async () => {
  await host?.stop();
});

let opened: OpenedConsole;
test.beforeEach(async ({ page }) => {
  opened = await openConsole(page, { url: host.url } as never);
});
test.afterEach(async ({ page }) => {
  await expectNothingInterpreted(page);
  expect(opened.cspViolations).toEqual([]);
});

async function expectNothingInterpreted(page: Page): Promise<void> {
  // The app itself uses neither element, so any one is seeded markup made live.
  await expect(page.locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${name}`) });

test('call grid, top bar, monitoring indicator and call drawer', async ({ page }) => {
  // Top bar: the account label as text.
  await expect(page.getByTestId('health-chip').locator('.label').filter({ hasText: 'onerror' })).toHaveText(LABEL);
  // Grid: agents' names (fresh from the next poll) and the account label.
  const evRow = await showCall(page, evCall);
  await expect(evRow.locator('.cell.agent')).toHaveText(EV_NAME, { timeout: 10_000 });
  const exRow = await showCall(page, exCall);
  await expect(exRow.locator('.cell.agent')).toHaveText(EX_NAME, { timeout: 10_000 });
  await page.getByLabel('Search calls').fill('');
  await page.getByLabel('Filter by vendor').selectOption('audian');
  await expect(page.locator('[data-testid="call-row"] .cell.account .acc').first()).toHaveText(LABEL);
  await expect(page.getByLabel('Filter by account').locator('option', { hasText: 'onerror' })).toHaveText(LABEL);
  await expectNothingInterpreted(page);

  // Monitoring: the top bar names the call by its agent.
  const row = await showCall(page, evCall);
  await row.getByRole('button', { name: /^Listen on call/ }).click();
  await expect(page.getByTestId('monitoring-indicator').locator('.what')).toHaveText(`${EV_NAME} · ${evCall.from}`);
  await expectNothingInterpreted(page);
  await row.getByRole('button', { name: /^Stop Listen on call/ }).click();
  await expect(page.getByTestId('monitoring-indicator')).toHaveCount(0);

  // Drawer: the agent, then a disposition named in markup that Engage Voice refuses: its error,
  // which quotes the name back, is shown as text in the toast and in the call's timeline.
  await row.locator('.cell.duration').click();
  const drawer = page.getByTestId('call-drawer');
  await expect(drawer.locator('dd').first()).toHaveText(EV_NAME);
  const form = drawer.getByRole('group', { name: 'Disposition' });
  await form.getByLabel('Disposition', { exact: true }).fill(BOLD);
  await form.getByLabel('Notes').fill(XSS);
  await form.getByRole('button', { name: 'Set disposition' }).click();
  const refused = page.getByTestId('toast').filter({ hasText: 'Vendor said:' });
  await expect(refused.locator('.detail')).toContainText(`Unknown disposition ${BOLD};`);
  await expect(drawer.getByRole('list').getByRole('listitem').filter({ hasText: 'call.disposition' })).toContainText(`call.disposition (${BOLD})`);
  await expectNothingInterpreted(page);

  // A disposition Engage Voice knows, with notes in markup: the notes reach it unchanged.
  const sim = host.centre.byVendor('engage-voice').sim.server;
  sim.clearLog();
  await form.getByLabel('Disposition', { exact: true }).fill('Sale');
  await form.getByRole('button', { name: 'Set disposition' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Disposition set: done' })).toBeVisible();
  const sent = clickRequests(sim.log).filter((r) => r.path.endsWith('/dispositionCall'));
  expect(sent.map((r) => r.query.notes)).toEqual([XSS]);
  await expect(form.getByLabel('Notes')).toHaveValue(XSS);
});

test('agent board: names and a not-ready reason', async ({ page }) => {
  await nav(page, 'Agents').click();
  const board = page.getByRole('region', { name: 'Agent board' });
  const lv = board.locator('tr[data-agent-key="demo-livevox:LV_TEST"]');
  await expect(lv.locator('td.col-name')).toHaveText(LV_NAME, { timeout: 10_000 });
  await expect(lv.getByTestId('agent-state')).toHaveText('Not ready');
  await expect(lv.getByTestId('agent-reason')).toHaveText(LV_REASON);
  await expect(board.locator('tr[data-agent-key^="demo-engage-voice:"] td.col-name').filter({ hasText: 'onerror' })).toHaveText(EV_NAME);
  await expect(board.locator('tr[data-agent-key^="demo-exotel:"] td.col-name').filter({ hasText: 'onerror' })).toHaveText(EX_NAME);
  // Filtering by literal markup and the reason's words finds just that agent: it is text all the way.
  await board.getByLabel('Filter agents').fill(`${BOLD} lunch`);
  await expect(board.locator('tr[data-agent-key]')).toHaveCount(1);
  await expect(lv).toBeVisible();
});

test("chat: an agent's message, its preview and the agent's name", async ({ page }) => {
  await nav(page, 'Chat').click();
  const chat = page.getByRole('region', { name: 'Chat' });
  const contact = chat.locator('button[data-agent-key="demo-livevox:LV_SEB"]');
  await expect(contact.locator('.line2')).toHaveText(LV_CHAT, { timeout: 10_000 });
  await contact.click();
  await expect(chat.getByTestId('thread').getByTestId('msg-agent').last().locator('.bubble')).toHaveText(LV_CHAT);
  await chat.getByLabel('Find an agent').fill('onerror');
  await chat.locator('button[data-agent-key="demo-livevox:LV_TEST"]').click();
  await expect(chat.getByTestId('thread-title')).toHaveText(LV_NAME);
  await expect(chat.getByTestId('thread')).toContainText(`No messages with ${LV_NAME} yet.`);
});

test('accounts and the audit log: the account label', async ({ page }) => {
  await nav(page, 'Accounts').click();
  await expect(page.getByText(LABEL, { exact: true }).first()).toBeVisible();
  await expectNothingInterpreted(page);
  await nav(page, 'Audit log').click();
  await expect(page.getByTestId('audit-row').filter({ hasText: 'account.save' }).first()).toContainText(LABEL);
});
