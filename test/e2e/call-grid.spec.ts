// The call grid in Chromium against the real engine and the vendor simulators.
import { expect, test, type Page } from '@playwright/test';
import type { Vendor } from '../../main/domain/model.js';
import { openConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';

let host: InProcessConsole;
test.beforeAll(async () => {
  host = await startInProcessConsole();
});
test.afterAll(async () => {
  await host.stop();
});

const AUTH = /api_auth|session\/login|oauth\/token|auth\/login|token\/refresh/;
/** The engine keeps polling lists while the test clicks; those requests are not the click's. */
const POLL = /activeCalls\/list|realTimeData\/agent|\/calls\/active|\/channels$|agents\/status|chat\/messages?$/;
const clickRequests = (lines: string[]): string[] => lines.filter((l) => !AUTH.test(l) && !POLL.test(l));
const EXPECTED: Record<Vendor, { mode: 'listen' | 'whisper' | 'barge'; requests: RegExp[] }> = {
  'engage-voice': { mode: 'whisper', requests: [/^POST .*\/activeCalls\/[^/]+\/addSessionToCall$/] },
  exotel: { mode: 'listen', requests: [/^GET .*\/ActiveLegs(\.json)?$/, /^POST .*\/Legs(\.json)?$/] },
  audian: { mode: 'barge', requests: [/^POST \/v2\/calls\/[^/]+\/conference$/] },
  livevox: { mode: 'listen', requests: [/^GET .*\/monitor\/state$/, /^POST .*\/monitor\/start$/, /^POST .*\/monitor\/listen$/] },
};

function rowOf(page: Page, accountId: string, nth = 0) {
  return page.locator(`[data-testid="call-row"][data-call-key^="${accountId}:"]`).nth(nth);
}

async function filterTo(page: Page, vendor: Vendor): Promise<void> {
  await page.getByLabel('Filter by vendor').selectOption(vendor);
  await page.getByLabel('Filter by status').selectOption('in_progress');
}

test.describe('call grid', () => {
  for (const vendor of Object.keys(EXPECTED) as Vendor[]) {
    test(`one click monitors a ${vendor} call, shows the indicator, and stops`, async ({ page }) => {
      const { cspViolations } = await openConsole(page, { url: host.url } as never);
      const account = host.centre.byVendor(vendor);
      const { mode, requests } = EXPECTED[vendor];
      await filterTo(page, vendor);
      const row = rowOf(page, account.config.id);
      await expect(row).toBeVisible();
      const label = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' }[mode];
      account.sim.server.clearLog();
      await row.getByRole('button', { name: new RegExp(`^${label} on call`) }).click();
      await expect(row.getByRole('button', { name: new RegExp(`^Stop ${label} on call`) })).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByTestId('monitoring-indicator')).toContainText(mode);
      const seen = clickRequests(account.sim.server.calls());
      const wanted = vendor === 'livevox' && !seen.some((l) => /monitor\/start$/.test(l)) ? requests.filter((r) => !/start/.test(r.source)) : requests;
      expect(seen.length, seen.join('\n')).toBe(wanted.length);
      wanted.forEach((r, i) => expect(seen[i]).toMatch(r));

      if (vendor === 'livevox') {
        // LiveVox cannot end a session: the click explains why, and the session stays shown.
        await row.getByRole('button', { name: new RegExp(`^Stop ${label} on call`) }).click();
        await expect(page.getByTestId('toast').last()).toContainText('hang up');
      } else {
        account.sim.server.clearLog();
        await row.getByRole('button', { name: new RegExp(`^Stop ${label} on call`) }).click();
        await expect(row.getByRole('button', { name: new RegExp(`^${label} on call`) })).toHaveAttribute('aria-pressed', 'false');
        expect(clickRequests(account.sim.server.calls()).length).toBeGreaterThan(0);
      }
      expect(cspViolations).toEqual([]);
    });
  }

  test('listen and whisper are disabled on Audian with the reason', async ({ page }) => {
    await openConsole(page, { url: host.url } as never);
    await filterTo(page, 'audian');
    const row = rowOf(page, host.centre.byVendor('audian').config.id);
    const listen = row.getByRole('button', { name: /^Listen on call/ });
    await expect(listen).toBeDisabled();
    await expect(listen).toHaveAttribute('title', /no listen or whisper/i);
    await expect(row.getByRole('button', { name: /^Barge on call/ })).toBeEnabled();
  });

  test('monitoring from the keyboard: arrows move, W whispers, B changes mode, Esc stops', async ({ page }) => {
    await openConsole(page, { url: host.url } as never);
    await filterTo(page, 'exotel');
    const grid = page.getByRole('grid', { name: 'Live calls' });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('[data-testid="call-row"][aria-selected="true"]');
    await expect(selected).toHaveCount(1);
    const key = await selected.getAttribute('data-call-key');
    await page.keyboard.press('w');
    const row = page.locator(`[data-call-key="${key}"]`);
    await expect(row.getByRole('button', { name: /^Stop Whisper on call/ })).toBeVisible();
    await page.keyboard.press('b');
    await expect(row.getByRole('button', { name: /^Stop Barge on call/ })).toBeVisible();
    await expect(page.getByTestId('monitoring-indicator')).toContainText('barge');
    await page.keyboard.press('Escape');
    await expect(row.getByRole('button', { name: /^Barge on call/ })).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('monitoring-indicator').filter({ hasText: 'barge' })).toHaveCount(0);
    await page.keyboard.press('/');
    await expect(page.getByLabel('Search calls')).toBeFocused();
  });

  test('filter and sort', async ({ page }) => {
    await openConsole(page, { url: host.url } as never);
    const total = host.core.engine.calls().length;
    await expect(page.getByTestId('call-count')).toHaveText(`${total} of ${total} calls`);
    await page.getByLabel('Filter by vendor').selectOption('audian');
    const audian = host.core.engine.calls().filter((c) => c.vendor === 'audian').length;
    await expect(page.getByTestId('call-count')).toHaveText(`${audian} of ${total} calls`);
    const accounts = await page.locator('[data-testid="call-row"] .cell.account').allTextContents();
    expect(accounts.every((a) => a.startsWith('Demo Audian'))).toBe(true);
    await page.getByLabel('Filter by vendor').selectOption({ label: 'All vendors' });
    // Free text matches a number.
    const some = host.core.engine.calls().find((c) => c.from)!;
    await page.getByLabel('Search calls').fill(some.from!);
    await expect(page.locator(`[data-call-key="${some.key}"]`)).toBeVisible();
    await page.getByLabel('Search calls').fill('');
    // Sorting by agent name puts them in order.
    await page.getByRole('columnheader', { name: /Agent/ }).getByRole('button').click();
    const agents = (await page.locator('[data-testid="call-row"] .cell.agent').allTextContents()).filter((a) => a !== '—');
    expect(agents).toEqual([...agents].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    // The default sort is longest call first.
    await page.getByRole('columnheader', { name: /Duration/ }).getByRole('button').click();
    const header = page.getByRole('columnheader', { name: /Duration/ });
    await expect(header).toHaveAttribute('aria-sort', 'descending');
  });

  test('the drawer shows legs and refuses a bad transfer number before sending', async ({ page }) => {
    await openConsole(page, { url: host.url } as never);
    await filterTo(page, 'audian');
    const account = host.centre.byVendor('audian');
    const call = host.core.engine.calls().find((c) => c.vendor === 'audian' && c.status === 'in_progress' && c.onHold !== true)!;
    await page.locator(`[data-call-key="${call.key}"]`).click();
    const drawer = page.getByTestId('call-drawer');
    await expect(drawer).toBeVisible();
    await drawer.getByLabel('Number').first().fill('12ab');
    await expect(drawer.getByText('Digits only')).toBeVisible();
    await expect(drawer.getByRole('button', { name: 'Transfer', exact: true })).toBeDisabled();
    account.sim.server.clearLog();
    await drawer.getByRole('button', { name: 'Hold', exact: true }).click();
    await expect(drawer.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
    expect(account.sim.server.calls(/\/hold$/)).toHaveLength(1);
    await expect(drawer.getByRole('list').getByText('call.hold')).toBeVisible();
  });
});
