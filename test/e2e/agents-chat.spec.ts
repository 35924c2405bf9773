// The Agent board and the Chat panel in Chromium. The board's tests run against the demo browser
// console with live traffic (the LiveVox demo agents all start on calls and only traffic frees
// them); assertions read what the UI shows after the engine's own polls. The chat round trip runs
// against the console built in this process, with no background traffic: the test moves the
// LiveVox simulator on a tick when it wants an agent to answer, so nothing waits on chance or on a
// poll timer.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { engageVoiceCapabilities } from '../../main/vendors/engage-voice/capabilities.js';
import { SIM_SUPERVISOR } from '../../main/vendors/livevox/sim-state.js';
import type { LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';
import { startConsoleHost, type ConsoleHost } from './console-host.js';
import { openConsole, type OpenedConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';

const LV = 'demo-livevox';
let opened: OpenedConsole;

test.afterEach(() => {
  expect(opened.cspViolations).toEqual([]);
});

const nav = (page: Page, name: string): Locator => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${name}`) });
const row = (page: Page, key: string): Locator => page.locator(`tr[data-agent-key="${key}"]`);

async function openBoard(page: Page): Promise<Locator> {
  await nav(page, 'Agents').click();
  const board = page.getByRole('region', { name: 'Agent board' });
  await expect(board.locator('tr[data-agent-key]').first()).toBeVisible();
  return board;
}

/** Keys of LiveVox agents the board shows as not on a call (traffic frees them over a few seconds). */
async function freeLiveVoxAgents(page: Page, board: Locator, atLeast: number): Promise<string[]> {
  const free = board
    .locator(`tr[data-agent-key^="${LV}:"]`)
    .filter({ hasNot: page.getByTestId('agent-state').getByText('On call', { exact: true }) });
  await expect.poll(() => free.count(), { timeout: 25_000, message: 'LiveVox agents off calls' }).toBeGreaterThanOrEqual(atLeast);
  const keys = await free.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agent-key') ?? ''));
  return keys.slice(0, atLeast + 1);
}

async function select(page: Page, keys: readonly string[]): Promise<void> {
  for (const k of keys) await row(page, k).getByRole('checkbox').check();
}

test.describe('with live demo traffic', () => {
  let host: ConsoleHost;
  test.beforeAll(async () => {
    host = await startConsoleHost({ SWITCHBOARD_DEMO_SEED: '7', SWITCHBOARD_DEMO_TRAFFIC_MS: '400' });
  });
  test.afterAll(async () => {
    await host?.stop();
  });
  test.beforeEach(async ({ page }) => {
    opened = await openConsole(page, host);
  });

  test('bulk not ready with a reason, then ready, with per-agent results; other vendors refused', async ({ page }) => {
    const board = await openBoard(page);
    const bar = board.getByRole('toolbar', { name: 'Actions for selected agents' });

    // An Engage Voice agent: the board lists it but cannot change it, and says why.
    await board.getByLabel('Account').selectOption({ label: 'Demo RingCentral Engage Voice' });
    const ev = board.locator('tr[data-agent-key]').first();
    await ev.getByRole('checkbox').check();
    const reason = engageVoiceCapabilities['agent.ready'];
    expect(reason.supported).toBe(false);
    const why = reason.supported ? '' : reason.reason;
    await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toBeDisabled();
    await expect(bar.getByRole('button', { name: 'Not ready', exact: true })).toBeDisabled();
    await expect(bar.getByRole('button', { name: 'Log off…' })).toBeDisabled();
    await expect(bar.getByRole('button', { name: 'Ready', exact: true })).toHaveAttribute('title', new RegExp(escape(why)));
    await expect(board.getByTestId('refusals')).toContainText('Demo RingCentral Engage Voice');
    await expect(board.getByTestId('refusals')).toContainText(why);
    await bar.getByRole('button', { name: 'Clear' }).click();
    await expect(board.getByTestId('refusals')).toBeHidden();

    // LiveVox agents off calls: bulk not ready (Lunch).
    await board.getByLabel('Account').selectOption({ label: 'Demo LiveVox' });
    // Only LiveVox agents remain: fewer than the whole board.
    await expect(board.getByTestId('agent-count')).toHaveText(/^(\d+) of (\d+) agents$/);
    const [shownCount, allCount] = ((await board.getByTestId('agent-count').textContent()) ?? '').match(/\d+/g)!.map(Number);
    expect(shownCount).toBeLessThan(allCount!);
    const keys = await freeLiveVoxAgents(page, board, 3);
    await select(page, keys);
    await expect(board.getByTestId('selection-count')).toContainText(`${keys.length} selected`);
    await bar.getByLabel('Not ready reason').selectOption('LUNCH');
    await bar.getByRole('button', { name: 'Not ready', exact: true }).click();

    const results = board.getByTestId('results');
    await expect(results.getByRole('heading')).toHaveText('Not ready (Lunch)');
    await expect(results.getByRole('listitem')).toHaveCount(keys.length);
    // Each agent has its own outcome, in the list and on its row. An agent traffic put on a call in
    // the meantime is refused by LiveVox ("on a call"): that is a per-agent result too.
    const done: string[] = [];
    for (const k of keys) {
      const badge = row(page, k).getByTestId('row-result');
      await expect(badge).toHaveText(/Done|Failed/);
      if ((await badge.textContent())?.trim() === 'Done') done.push(k);
      else await expect(badge).toHaveAttribute('title', /call|logged/i);
    }
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const k of done) {
      const name = await row(page, k).locator('td.col-name').textContent();
      await expect(results).toContainText(name!.trim());
      // The engine re-polled LiveVox right after the action: the board shows the new state and reason.
      await expect(row(page, k).getByTestId('agent-state')).toHaveText('Not ready');
      await expect(row(page, k).getByTestId('agent-reason')).toHaveText('Lunch');
    }
    await page.screenshot({ path: 'test-results/agents-not-ready.png' });

    // Ready brings them back.
    await bar.getByRole('button', { name: 'Clear' }).click();
    await select(page, done);
    await bar.getByRole('button', { name: 'Ready', exact: true }).click();
    await expect(results.getByRole('heading')).toHaveText('Ready');
    await expect(results.getByRole('listitem')).toHaveCount(done.length);
    let back = 0;
    for (const k of done) {
      const badge = row(page, k).getByTestId('row-result');
      await expect(badge).toHaveText(/Done|Failed/);
      if ((await badge.textContent())?.trim() !== 'Done') continue;
      back += 1;
      await expect(row(page, k).getByTestId('agent-state')).toHaveText('Ready');
      await expect(row(page, k).getByTestId('agent-reason')).toHaveCount(0);
    }
    expect(back).toBeGreaterThanOrEqual(1);

    // Switch service: the choices come from services.list; the board shows the new service by name.
    const one = done[0]!;
    await bar.getByRole('button', { name: 'Clear' }).click();
    await select(page, [one]);
    const current = (await row(page, one).locator('td.col-service').textContent())!.trim();
    const target = current === 'New skill' ? 'TEST_MANUAL' : 'New skill';
    const serviceMenu = bar.getByLabel('Service to switch to');
    await expect(serviceMenu.locator('option')).toHaveCount(4); // the prompt and the demo's three services
    const value = await serviceMenu.locator('option').evaluateAll((opts, t) => (opts as HTMLOptionElement[]).find((o) => o.text.startsWith(t))?.value ?? '', target);
    expect(value).toMatch(/^\d+$/);
    await serviceMenu.selectOption(value);
    await bar.getByRole('button', { name: 'Switch service' }).click();
    await expect(results.getByRole('heading')).toHaveText(`Switch to ${target}`);
    await expect(row(page, one).getByTestId('row-result')).toHaveText('Done');
    await expect(row(page, one).locator('td.col-service')).toHaveText(target);

    // Log off asks first; Cancel sends nothing, Log off sends the optional message along.
    const leaving = keys.find((k) => !k.endsWith(':LV_TEST') && !k.endsWith(':LV_SEB') && k !== one) ?? one;
    const leavingName = (await row(page, leaving).locator('td.col-name').textContent())!.trim();
    await bar.getByRole('button', { name: 'Clear' }).click();
    await select(page, [leaving]);
    await bar.getByRole('button', { name: 'Log off…' }).click();
    const confirm = page.getByRole('dialog', { name: `Log off ${leavingName}?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(results.getByRole('heading')).toHaveText(`Switch to ${target}`);
    await bar.getByRole('button', { name: 'Log off…' }).click();
    await confirm.getByRole('textbox', { name: 'Message to the agents (optional)' }).fill('Shift over, thanks!');
    await confirm.getByRole('button', { name: 'Log off', exact: true }).click();
    await expect(results.getByRole('heading')).toHaveText('Log off');
    await expect(results.getByRole('listitem')).toHaveText(new RegExp(`${leavingName}.*`));
    await expect(results.getByRole('listitem')).toContainText('done');
    // LiveVox lists only logged-on agents: the agent leaves the board (or shows logged off).
    await expect(row(page, leaving).getByTestId('agent-state').filter({ hasNotText: 'Logged off' })).toHaveCount(0);

    // Sorting by a column and the text filter work on what is shown.
    await board.getByRole('button', { name: /^Login/ }).click();
    await expect(board.locator('th[aria-sort="ascending"]')).toContainText('Login');
    await board.getByLabel('Filter agents').fill('LV_TEST');
    await expect(board.locator('tr[data-agent-key]')).toHaveCount(1);
    await expect(row(page, `${LV}:LV_TEST`)).toBeVisible();
  });

  test('broadcast to chosen agents shows each result', async ({ page }) => {
    await nav(page, 'Chat').click();
    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.getByRole('button', { name: 'Broadcast…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Broadcast a message' });
    await expect(dialog).toBeVisible();
    const items = dialog.locator('.bc-list li');
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(3);
    const names: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      await items.nth(i).getByRole('checkbox').check();
      names.push((await items.nth(i).locator('.bname').textContent())!.trim());
      keys.push((await items.nth(i).getAttribute('data-agent-key'))!);
    }
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Team huddle at 3 <i>sharp</i>');
    await expect(dialog.getByRole('checkbox', { name: 'Agents can reply' })).toBeChecked();
    await page.screenshot({ path: 'test-results/chat-broadcast.png' });
    await dialog.getByRole('button', { name: 'Send to 3 agents' }).click();
    const results = dialog.getByTestId('broadcast-results');
    await expect(results.getByRole('listitem')).toHaveCount(3);
    for (const n of names) await expect(results.getByRole('listitem').filter({ hasText: n })).toContainText(/Sent|Not sent/);
    await expect(dialog.getByRole('status')).toHaveText(/Sent to [0-3] of 3 agents\./);
    await expect(results.getByText('Sent', { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: 'test-results/chat-broadcast-results.png' });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
    // Each sent agent's thread now has the message, as text.
    await chat.locator(`button[data-agent-key="${keys[0]}"]`).click();
    await expect(chat.getByTestId('thread').getByTestId('msg-own').last().locator('.bubble')).toHaveText('Team huddle at 3 <i>sharp</i>');
    await expect(chat.getByTestId('thread').locator('i')).toHaveCount(0);
  });

  test('a current call opens the call grid with that call selected', async ({ page }) => {
    const board = await openBoard(page);
    await board.getByLabel('Account').selectOption({ label: 'Demo LiveVox' });
    const link = board.locator('td.col-call button').first();
    await expect(link).toBeVisible();
    await link.click();
    await expect(nav(page, 'Calls')).toHaveAttribute('aria-current', 'page');
  });
});

test.describe('chat, the LiveVox simulator moved by the test', () => {
  let inproc: InProcessConsole;
  test.beforeAll(async () => {
    inproc = await startInProcessConsole();
  });
  test.afterAll(async () => {
    await inproc?.stop();
  });
  test.beforeEach(async ({ page }) => {
    opened = await openConsole(page, { url: inproc.url } as never);
  });

  test('chat round trip: sent text, agent replies, unread counts, markup stays text', async ({ page }) => {
    const sim = inproc.centre.byVendor('livevox').sim as unknown as LiveVoxSimulator;
    const runtime = inproc.core.engine.runtime(LV)!;
    /** What LiveVox received from the supervisor for one agent, and what that agent wrote. */
    const fromSupervisor = (loginId: string): string[] => sim.state.messages.filter((m) => m.userLoginId === loginId && m.senderId === SIM_SUPERVISOR.userName).map((m) => m.message);
    const fromAgent = (loginId: string): string[] => sim.state.messages.filter((m) => m.userLoginId === loginId && m.senderId === loginId).map((m) => m.message);
    /**
     * The agents take their turn: the simulator's next tick (an agent answers a message on the tick
     * after it), then the engine's chat poll, the same one its timer runs, run now.
     */
    const agentsAnswer = async (): Promise<void> => {
      sim.state.tick();
      await runtime.pollChat();
    };

    const board = await openBoard(page);
    await board.getByLabel('Account').selectOption({ label: 'Demo LiveVox' });
    // The Chat button on an agent's row opens the thread.
    const a = `${LV}:LV_TEST`;
    const b = `${LV}:LV_SEB`;
    await row(page, a).getByRole('button', { name: /^Chat with/ }).click();
    const chat = page.getByRole('region', { name: 'Chat' });
    await expect(nav(page, 'Chat')).toHaveAttribute('aria-current', 'page');
    const aName = (await chat.getByTestId('thread-title').textContent())!.trim();
    const composer = chat.getByRole('textbox', { name: `Message to ${aName}` });

    // Markup is shown literally; Shift+Enter is a new line, Enter sends.
    const text = 'Please check <b>x</b> & <img src=x onerror=alert(1)>';
    await composer.fill(text);
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    await composer.press('Enter');
    await expect(composer).toHaveValue('');
    const thread = chat.getByTestId('thread');
    const mine = thread.getByTestId('msg-own');
    await expect(mine).toHaveCount(1);
    await expect(mine.locator('.bubble')).toHaveText(`${text}\nsecond line`);
    await expect(thread.locator('b, img')).toHaveCount(0);
    // LiveVox got exactly that text, once.
    await expect.poll(() => fromSupervisor('LV_TEST')).toEqual([`${text}\nsecond line`]);

    // The agent answers; the engine's chat poll brings the reply into the open thread.
    expect(fromAgent('LV_TEST')).toEqual([]);
    await agentsAnswer();
    const replyA = fromAgent('LV_TEST')[0];
    expect(replyA, 'LV_TEST answered on the tick').toBeDefined();
    await expect(thread.getByTestId('msg-agent').first().locator('.bubble')).toHaveText(replyA!);
    await expect(thread.getByTestId('msg-agent').first().locator('.meta')).toContainText(aName);
    // A poll that listed our own message again did not double it.
    await expect(mine).toHaveCount(1);
    // An open thread collects no unread count.
    await expect(chat.locator(`button[data-agent-key="${a}"]`).getByTestId('unread')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/chat-thread.png' });

    // Write to B, then look at A: B's reply lands as unread on B's contact and on the Chat nav item.
    const bContact = chat.locator(`button[data-agent-key="${b}"]`);
    await bContact.click();
    const bName = (await chat.getByTestId('thread-title').textContent())!.trim();
    await chat.getByRole('textbox', { name: `Message to ${bName}` }).fill('Quick one for you');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect(thread.getByTestId('msg-own')).toHaveText(/Quick one for you/);
    await expect.poll(() => fromSupervisor('LV_SEB')).toEqual(['Quick one for you']);
    await chat.locator(`button[data-agent-key="${a}"]`).click();
    await expect(chat.getByTestId('thread-title')).toHaveText(aName);
    await agentsAnswer();
    expect(fromAgent('LV_SEB').length, 'LV_SEB answered on the tick').toBeGreaterThan(0);
    await expect(bContact.getByTestId('unread')).toHaveText(/^[1-9]\d*$/);
    await expect(bContact).toContainText(/OK, on it\.|Sure, one moment\.|Thanks!|Will do after this call\.|Can you listen in on this one\?/);
    await expect(nav(page, 'Chat').locator('.unread')).toBeVisible();
    await page.screenshot({ path: 'test-results/chat-unread.png' });
    // Opening B's thread reads it.
    await bContact.click();
    await expect(bContact.getByTestId('unread')).toHaveCount(0);
    await expect(thread.getByTestId('msg-agent').first()).toBeVisible();

    // End chat closes the session on the vendor's side.
    await chat.getByRole('button', { name: 'End chat' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: `Chat with ${bName} ended` })).toBeVisible();
    await expect(thread).toContainText('You ended this chat');
    expect(sim.state.chats.has('LV_SEB')).toBe(false);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
