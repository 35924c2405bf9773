// Saved views of the call grid in Chromium: a filter and sort saved under a name, the grid moved
// elsewhere, the view chosen again restores exactly that filter and sort, and it survives a reload.
import { expect, test, type Page } from '@playwright/test';
import type { CallStatus, Vendor } from '../../main/domain/model.js';
import { openConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';

let host: InProcessConsole;
test.beforeAll(async () => {
  host = await startInProcessConsole();
});
test.afterAll(async () => {
  await host?.stop();
});

const count = (vendor: Vendor | null, status: CallStatus | null): number =>
  host.core.engine.calls().filter((c) => (vendor === null || c.vendor === vendor) && (status === null || c.status === status)).length;

async function saveView(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByLabel('Name of the new view').fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('toast').filter({ hasText: `Saved view “${name}”` }).last()).toBeVisible();
  await expect(page.getByLabel('Saved views').locator('option', { hasText: name })).toHaveCount(1);
}

async function expectGrid(page: Page, vendor: Vendor | null, status: CallStatus | null, sorted: { header: string; order: 'ascending' | 'descending' }): Promise<void> {
  const total = host.core.engine.calls().length;
  await expect(page.getByLabel('Filter by vendor')).toHaveValue(vendor ?? '');
  await expect(page.getByLabel('Filter by status')).toHaveValue(status ?? '');
  await expect(page.getByTestId('call-count')).toHaveText(`${count(vendor, status)} of ${total} calls`);
  await expect(page.getByRole('columnheader', { name: new RegExp(`^${sorted.header}`) })).toHaveAttribute('aria-sort', sorted.order);
}

test('save a view with a filter and sort, switch away, restore it; views survive a reload', async ({ page }) => {
  const { cspViolations } = await openConsole(page, { url: host.url } as never);
  const total = host.core.engine.calls().length;
  expect(count('exotel', 'in_progress')).toBeGreaterThan(0);
  expect(count('exotel', 'in_progress')).toBeLessThan(total);

  // View 1: Exotel calls in progress, by agent A→Z.
  await page.getByLabel('Filter by vendor').selectOption('exotel');
  await page.getByLabel('Filter by status').selectOption('in_progress');
  await page.getByRole('columnheader', { name: /^Agent/ }).getByRole('button').click();
  const exotelLive = { header: 'Agent', order: 'ascending' } as const;
  await expectGrid(page, 'exotel', 'in_progress', exotelLive);
  await saveView(page, 'Exotel live');

  // View 2: Audian, any status, by duration shortest first.
  await page.getByLabel('Filter by vendor').selectOption('audian');
  await page.getByLabel('Filter by status').selectOption({ label: 'Any status' });
  await page.getByRole('columnheader', { name: /^Duration/ }).getByRole('button').click();
  await page.getByRole('columnheader', { name: /^Duration/ }).getByRole('button').click();
  const audianAll = { header: 'Duration', order: 'ascending' } as const;
  await expectGrid(page, 'audian', null, audianAll);
  await saveView(page, 'Audian all');

  // Away from both: everything, sorted by account.
  await page.getByLabel('Filter by vendor').selectOption({ label: 'All vendors' });
  await page.getByRole('columnheader', { name: /^Account/ }).getByRole('button').click();
  await expectGrid(page, null, null, { header: 'Account', order: 'ascending' });

  await page.getByLabel('Saved views').selectOption('Exotel live');
  await expectGrid(page, 'exotel', 'in_progress', exotelLive);
  const accounts = await page.locator('[data-testid="call-row"] .cell.account').allTextContents();
  expect(accounts.length).toBeGreaterThan(0);
  expect(accounts.every((a) => a.trim() === 'Demo Exotel')).toBe(true);
  const agents = (await page.locator('[data-testid="call-row"] .cell.agent').allTextContents()).filter((a) => a !== '—');
  expect(agents).toEqual([...agents].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));

  await page.getByLabel('Saved views').selectOption('Audian all');
  await expectGrid(page, 'audian', null, audianAll);

  // Saved with the settings: after a reload both are offered and restore the same way.
  await page.reload();
  await expect(page.locator('.shell[data-ready="yes"]')).toBeVisible();
  await expectGrid(page, null, null, { header: 'Duration', order: 'descending' });
  await expect(page.getByLabel('Saved views').locator('option')).toHaveText(['Saved views…', 'Exotel live', 'Audian all']);
  await page.getByLabel('Saved views').selectOption('Exotel live');
  await expectGrid(page, 'exotel', 'in_progress', exotelLive);
  expect(cspViolations).toEqual([]);
});

test('saving under an existing name replaces that view', async ({ page }) => {
  await openConsole(page, { url: host.url } as never);
  await page.getByLabel('Filter by vendor').selectOption('livevox');
  await saveView(page, 'Mine');
  await page.getByLabel('Filter by vendor').selectOption('engage-voice');
  await saveView(page, 'Mine');
  await page.getByLabel('Filter by vendor').selectOption({ label: 'All vendors' });
  await page.getByLabel('Saved views').selectOption('Mine');
  await expectGrid(page, 'engage-voice', null, { header: 'Duration', order: 'descending' });
});

test('a saved view can be deleted, and stays deleted after a reload', async ({ page }) => {
  await openConsole(page, { url: host.url } as never);
  await page.getByLabel('Filter by vendor').selectOption('audian');
  await saveView(page, 'Short-lived');
  const picker = page.getByLabel('Saved views');
  await expect(picker).toHaveValue('Short-lived');
  await page.getByRole('button', { name: 'Delete saved view Short-lived' }).click();
  await expect(picker.locator('option', { hasText: 'Short-lived' })).toHaveCount(0);
  await expect(picker).toHaveValue('');
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  await expect(page.getByLabel('Saved views').locator('option', { hasText: 'Short-lived' })).toHaveCount(0);
});
