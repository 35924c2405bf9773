// The first-run welcome, Settings and the Audit log in Chromium against the demo browser console.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host.js';
import { FROZEN_DEMO, openConsole } from './app-page.js';

let host: ConsoleHost;
test.beforeAll(async () => {
  host = await startConsoleHost(FROZEN_DEMO);
});
test.afterAll(async () => {
  await host.stop();
});
test.describe.configure({ mode: 'serial' });

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name });

test('the welcome explains the demo and each vendor; "Explore the demo" dismisses it for good', async ({ page }) => {
  const { cspViolations } = await openConsole(page, host, { keepWelcome: true });
  const welcome = page.getByRole('dialog', { name: 'Welcome to Switchboard' });
  await expect(welcome).toBeVisible();
  await expect(welcome).toContainText('demo contact centre');
  for (const needle of ['Engage Voice', 'admin portal', 'account SID', 'Exotel support', 'Audian', 'Sysadmin, Superuser or Manager', 'NA3–NA6']) {
    await expect(welcome).toContainText(needle);
  }
  await page.screenshot({ path: 'test-results/settings-audit/welcome.png' });
  await welcome.getByRole('button', { name: 'Explore the demo' }).click();
  await expect(welcome).toBeHidden();

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  await expect(page.locator('.shell[data-ready="yes"]')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Welcome to Switchboard' })).toHaveCount(0);
  expect(cspViolations).toEqual([]);
});

test('"Add my account" on a fresh console dismisses the welcome and opens the add form', async ({ page }) => {
  const fresh = await startConsoleHost(FROZEN_DEMO);
  try {
    await openConsole(page, fresh, { keepWelcome: true });
    const welcome = page.getByRole('dialog', { name: 'Welcome to Switchboard' });
    await welcome.getByRole('button', { name: 'Add my account' }).click();
    await expect(welcome).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Add account' })).toBeVisible();
    await expect(nav(page, 'Accounts')).toHaveAttribute('aria-current', 'page');
    await page.reload();
    await expect(page.locator('.shell[data-ready="yes"]')).toBeVisible();
    await expect(page.getByRole('dialog', { name: 'Welcome to Switchboard' })).toHaveCount(0);
  } finally {
    await page.close();
    await fresh.stop();
  }
});

test('settings are saved to the engine and survive a reload', async ({ page }) => {
  const { cspViolations } = await openConsole(page, host);
  await nav(page, 'Settings').click();
  const minutes = page.getByLabel('Call longer than: minutes');
  const seconds = page.getByLabel('Call longer than: seconds');
  await minutes.fill('7');
  await seconds.fill('30');
  await seconds.press('Tab');
  await expect(page.getByTestId('threshold-callLongerThanSec').getByText('Saved')).toHaveClass(/on/);

  // Out of range: refused in the form, nothing sent.
  await page.getByLabel('Ringing longer than: minutes').fill('0');
  await page.getByLabel('Ringing longer than: seconds').fill('2');
  await page.getByLabel('Ringing longer than: seconds').press('Tab');
  await expect(page.getByTestId('threshold-ringingLongerThanSec')).toContainText('Between 5 s and 60 min.');

  await page.getByRole('checkbox', { name: 'Agent state changes' }).uncheck();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('checkbox', { name: /Closing the window keeps Switchboard running/ }).uncheck();
  await page.screenshot({ path: 'test-results/settings-audit/settings-dark.png' });

  await page.reload();
  await expect(page.locator('.shell[data-ready="yes"]')).toBeVisible();
  await nav(page, 'Settings').click();
  await expect(page.getByLabel('Call longer than: minutes')).toHaveValue('7');
  await expect(page.getByLabel('Call longer than: seconds')).toHaveValue('30');
  await expect(page.getByLabel('Ringing longer than: seconds')).toHaveValue('30');
  await expect(page.getByRole('checkbox', { name: 'Agent state changes' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Closing the window keeps Switchboard running/ })).not.toBeChecked();
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Back to following the system, so later screenshots are in the default look.
  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  expect(cspViolations).toEqual([]);
});

test('a barge from the call grid appears in the audit log, and the CSV export downloads it with a header row', async ({ page }) => {
  const { cspViolations } = await openConsole(page, host);
  await nav(page, 'Audit log').click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const before = await page.getByTestId('audit-row').count();

  // An audited supervisor command, made the way a supervisor makes it.
  await nav(page, 'Calls').click();
  await page.getByLabel('Filter by vendor').selectOption('audian');
  await page.getByLabel('Filter by status').selectOption('in_progress');
  const call = page.locator('[data-testid="call-row"][data-call-key^="demo-audian:"]').first();
  await call.getByRole('button', { name: /^Barge on call/ }).click();
  await expect(page.getByTestId('monitoring-indicator')).toContainText('barge');

  await nav(page, 'Audit log').click();
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(before + 1);
  const entry = rows.first();
  await expect(entry).toContainText('Demo Audian');
  await expect(entry).toContainText('monitor.barge');
  await expect(entry.locator('.badge')).toHaveText('ok');
  await page.screenshot({ path: 'test-results/settings-audit/audit.png' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^switchboard-audit-\d{8}-\d{4}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('time,account,target,action,detail,outcome,error');
  expect(lines.some((l) => l.includes('demo-audian') && l.includes('monitor.barge') && l.includes(',ok,'))).toBe(true);

  // The filter narrows the table without another read.
  await page.getByLabel('Filter the audit log').fill('no-such-thing');
  await expect(page.getByText('No entries match this filter.')).toBeVisible();
  await page.getByLabel('Filter the audit log').fill('barge');
  await expect(rows.first()).toContainText('monitor.barge');

  await page.getByRole('button', { name: 'Stop monitoring' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByLabel('Filter the audit log').fill('');
  await expect(rows.first()).toContainText('monitor.stop');
  expect(cspViolations).toEqual([]);
});
