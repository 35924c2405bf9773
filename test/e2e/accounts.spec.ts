// The Accounts view in Chromium against the demo browser console: adding accounts, precise
// connection-test errors, write-only secrets, remove with confirmation, leaving the demo.
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

const WRONG_KEY = 'wrong-key-8f3a1c77e2';
const NEW_KEY = 'replacement-key-51d0b9a4';

const row = (page: Page, id: string) => page.locator(`[data-testid="account-row"][data-account-id="${id}"]`);

async function openAccounts(page: Page) {
  const opened = await openConsole(page, host);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  return opened;
}

/** No secret typed in the test may be anywhere in the page: markup, attributes or input values. */
async function expectNoSecretInDom(page: Page, secret: string): Promise<void> {
  expect(await page.content()).not.toContain(secret);
  const values = await page.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  expect(values).not.toContain(secret);
}

test('a wrong API key against the demo Audian simulator is reported as rejected credentials; the key shows only as set', async ({ page }) => {
  const { cspViolations } = await openAccounts(page);
  // The demo Audian account's base URL is the simulator's address.
  const simUrl = (await row(page, 'demo-audian').getByTestId('endpoint').innerText()).trim();
  expect(simUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  await page.getByRole('button', { name: 'Add account' }).first().click();
  await page.getByRole('radio', { name: /Audian/ }).check();
  await page.getByLabel('Name', { exact: true }).fill('Wrong key Audian');
  await expect(page.getByLabel('Id', { exact: true })).toHaveValue('wrong-key-audian');
  await page.getByLabel('API base URL').fill(simUrl);
  await page.getByLabel('API key', { exact: true }).fill(WRONG_KEY);
  await page.getByRole('button', { name: 'Test connection' }).click();

  const result = page.getByTestId('test-result');
  await expect(result).toHaveAttribute('data-code', 'auth_failed');
  await expect(result).toContainText('Credentials rejected');
  await expect(result).toContainText('auth_failed');

  // Saved on the way: the id is fixed, the key is write-only and shows only as set.
  await expect(page.getByRole('heading', { name: 'Edit Wrong key Audian' })).toBeVisible();
  await expect(page.getByLabel('Id', { exact: true })).toHaveAttribute('readonly', '');
  await expect(page.getByTestId('secret-set-apiKey')).toHaveText('● set');
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await expectNoSecretInDom(page, WRONG_KEY);

  // Replace: a fresh empty input, never the stored value; saved, it is "set" again.
  await page.getByRole('button', { name: 'Replace API key' }).click();
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue('');
  await page.getByLabel('API key', { exact: true }).fill(NEW_KEY);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('secret-set-apiKey')).toBeVisible();
  await expectNoSecretInDom(page, NEW_KEY);

  // In the list: the engine's own poll reaches the simulator and is refused.
  await page.getByRole('button', { name: '← Accounts' }).click();
  const r = row(page, 'wrong-key-audian');
  await expect(r).toContainText('API key set');
  await expect(r).toContainText(simUrl);
  await expect(r).toContainText('Credentials rejected', { timeout: 20_000 });
  await r.getByRole('button', { name: 'Test connection of Wrong key Audian' }).click();
  await expect(r.getByTestId('row-test-result')).toContainText('Credentials rejected');
  await expectNoSecretInDom(page, WRONG_KEY);
  await expectNoSecretInDom(page, NEW_KEY);
  await page.screenshot({ path: 'test-results/accounts/list-after-add.png' });
  expect(cspViolations).toEqual([]);
});

test('an unreachable host is reported as unreachable, not as a credentials problem', async ({ page }) => {
  const { cspViolations } = await openAccounts(page);
  await page.getByRole('button', { name: 'Add account' }).first().click();
  await page.getByRole('radio', { name: /Exotel/ }).check();
  await page.getByLabel('Name', { exact: true }).fill('Nowhere Exotel');
  await page.getByLabel('Account SID').fill('nowhere1');
  await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Custom URL…' });
  await page.getByLabel('Region: custom URL').fill('http://127.0.0.1:9/');
  await page.getByLabel('v3 API base URL').fill('http://127.0.0.1:9/');
  await page.getByLabel('API key', { exact: true }).fill('any-key-0000');
  await page.getByLabel('API token', { exact: true }).fill('any-token-0000');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('test-result');
  await expect(result).toHaveAttribute('data-code', 'network');
  await expect(result).toContainText('Host unreachable');
  await expect(result).toContainText(/unreachable \(connection refused\)/);
  await expect(result).not.toContainText('Credentials rejected');
  await page.screenshot({ path: 'test-results/accounts/unreachable.png' });
  expect(cspViolations).toEqual([]);
});

test('the form checks required fields, URL and phone shapes before anything is sent', async ({ page }) => {
  await openAccounts(page);
  const before = await page.getByTestId('account-row').count();
  await page.getByRole('button', { name: 'Add account' }).first().click();
  await page.getByRole('radio', { name: /Exotel/ }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Give the account a name.')).toBeVisible();
  await expect(page.getByLabel('Account SID')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter the API key.')).toBeVisible();
  await expect(page.getByText('Enter the API token.')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Mumbai floor');
  await page.getByLabel('Supervisor phone').fill('12ab');
  await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Custom URL…' });
  await page.getByLabel('Region: custom URL').fill('api.in.exotel');
  await expect(page.getByText('Digits only, optionally starting with +')).toBeVisible();
  await expect(page.getByText('A full URL, like https://api.example.com.')).toBeVisible();
  await page.screenshot({ path: 'test-results/accounts/validation.png' });

  // Fixed, it saves; the region choice is kept as the Mumbai cluster.
  await page.getByLabel('Supervisor phone').fill('+919800000001');
  await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Mumbai (api.in.exotel.com)' });
  await page.getByLabel('Account SID').fill('mumbaifloor1');
  await page.getByLabel('API key', { exact: true }).fill('k-123456');
  await page.getByLabel('API token', { exact: true }).fill('t-123456');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Edit Mumbai floor' })).toBeVisible();
  await page.getByRole('button', { name: '← Accounts' }).click();
  await expect(page.getByTestId('account-row')).toHaveCount(before + 1);
  await expect(row(page, 'mumbai-floor')).toContainText('Mumbai');
  await expect(row(page, 'mumbai-floor')).toContainText('https://api.in.exotel.com');
});

test('a new host asks for the secrets again, and a plain-http host elsewhere is refused', async ({ page }) => {
  const { cspViolations } = await openAccounts(page);
  await row(page, 'wrong-key-audian').getByRole('button', { name: 'Edit Wrong key Audian' }).click();
  await expect(page.getByTestId('secret-set-apiKey')).toBeVisible();
  await expect(page.getByTestId('reenter-note')).toHaveCount(0);

  const baseUrl = page.getByLabel('API base URL');
  const saved = await baseUrl.inputValue();
  await baseUrl.fill('http://api.audian.example.com:8443');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Must start with https:// (http:// only for a simulator on this computer).')).toBeVisible();

  // Another host: the saved key is not offered to it; the form says why and asks for the key.
  await baseUrl.fill('http://127.0.0.1:9');
  await expect(page.getByTestId('reenter-note')).toContainText('Enter its credentials again');
  await expect(page.getByTestId('secret-set-apiKey')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Enter the API key.')).toBeVisible();
  await expect(page.getByTestId('save-error')).toHaveCount(0);

  // Back on the saved host, the saved key is good again.
  await baseUrl.fill(saved);
  await expect(page.getByTestId('reenter-note')).toHaveCount(0);
  await expect(page.getByTestId('secret-set-apiKey')).toBeVisible();
  expect(cspViolations).toEqual([]);
});

test('remove asks first; cancelling keeps the account', async ({ page }) => {
  await openAccounts(page);
  const r = row(page, 'nowhere-exotel');
  await expect(r).toBeVisible();
  await r.getByRole('button', { name: 'Remove Nowhere Exotel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove Nowhere Exotel?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(r).toBeVisible();
  await r.getByRole('button', { name: 'Remove Nowhere Exotel' }).click();
  await dialog.getByRole('button', { name: 'Remove account' }).click();
  await expect(r).toBeHidden();
  // The engine agrees: a reload still does not list it.
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Accounts' }).click();
  await expect(row(page, 'wrong-key-audian')).toBeVisible();
  await expect(row(page, 'nowhere-exotel')).toHaveCount(0);
});

test('leave demo (after confirming) removes every demo account and keeps mine', async ({ page }) => {
  const { cspViolations } = await openAccounts(page);
  // Which store holds the secrets is always shown (the OS keychain here, or memory without one).
  await expect(page.getByText(/OS keychain|Kept in memory/).first()).toBeVisible();
  for (const id of ['demo-engage-voice', 'demo-exotel', 'demo-audian', 'demo-livevox']) await expect(row(page, id)).toBeVisible();
  await page.getByRole('button', { name: 'Leave demo' }).click();
  const dialog = page.getByRole('dialog', { name: 'Leave the demo?' });
  await expect(dialog).toContainText('4 demo accounts');
  await dialog.getByRole('button', { name: 'Leave demo' }).click();
  await expect(page.locator('[data-testid="account-row"][data-account-id^="demo-"]')).toHaveCount(0);
  await expect(row(page, 'wrong-key-audian')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start demo' })).toBeVisible();
  // The engine agrees after a reload.
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Accounts' }).click();
  await expect(row(page, 'wrong-key-audian')).toBeVisible();
  await expect(page.locator('[data-testid="account-row"][data-account-id^="demo-"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/accounts/after-leave-demo.png' });
  expect(cspViolations).toEqual([]);
});
