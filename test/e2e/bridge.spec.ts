import { expect, test } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host.js';

let host: ConsoleHost;
test.beforeAll(async () => {
  host = await startConsoleHost();
});
test.afterAll(async () => {
  await host.stop();
});

test('the browser console opens in Chromium and round-trips a contract call', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  // app.info answered through the WebSocket bridge (first run: the welcome), and snapshot.get (the
  // demo's four accounts in the health strip).
  await expect(page.getByRole('dialog', { name: 'Welcome to Switchboard' })).toBeVisible();
  await expect(page.getByTestId('health-chip')).toHaveCount(4);
  // The token left the address bar once read.
  expect(page.url()).not.toContain(host.token);
  expect(violations).toEqual([]);
});

test('a page without the token gets no bridge', async ({ page }) => {
  await page.goto(host.origin + '/');
  await expect(page.locator('#app')).toContainText('one-time token');
});
