// What a newcomer sees: the demo up within 3 s of start, and every main view at 1280×720 in light
// and dark, written to test-results/screenshots (and to docs/screenshots with UPDATE_DOC_SCREENSHOTS=1).
import { copyFileSync, mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host.js';
import { openConsole } from './app-page.js';

const OUT = 'test-results/screenshots';

test('the demo shows live calls and agents of every vendor within 3 s of start', async ({ page }) => {
  const t0 = Date.now();
  const host = await startConsoleHost({ SWITCHBOARD_DEMO_SEED: '7' });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('health-chip')).toHaveCount(4);
    await expect(page.getByTestId('data-age')).toHaveText([/s ago/, /s ago/, /s ago/, /s ago/]);
    await expect(page.getByTestId('call-count')).toHaveText(/^[1-9]\d* of [1-9]\d* calls$/);
    // The clock runs on through what a newcomer does next: leave the welcome for the demo, and see
    // calls of each of the four vendors, then agents of the three vendors that list agents.
    await page.getByRole('button', { name: 'Explore the demo' }).click();
    for (const vendor of ['engage-voice', 'exotel', 'audian', 'livevox']) {
      await page.getByLabel('Filter by vendor').selectOption(vendor);
      await expect(page.getByTestId('call-count'), `calls of ${vendor}`).toHaveText(/^[1-9]\d* of/);
      await expect(page.locator(`[data-testid="call-row"][data-call-key^="demo-${vendor}:"]`).first()).toBeVisible();
    }
    await page.getByRole('button', { name: 'Agents', exact: true }).click();
    // Audian has no agent list; the other three vendors' agents are on the board.
    for (const account of ['demo-engage-voice', 'demo-exotel', 'demo-livevox']) {
      await expect(page.locator(`tr[data-agent-key^="${account}:"]`).first(), `agents of ${account}`).toBeAttached();
    }
    const elapsed = Date.now() - t0;
    expect(elapsed, `calls of four vendors and agents of three shown after ${elapsed} ms`).toBeLessThan(3_000);
  } finally {
    await host.stop();
  }
});

async function views(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  const shot = async (name: string) => {
    mkdirSync(OUT, { recursive: true });
    const file = `${OUT}/${name}-${scheme}.png`;
    await page.screenshot({ path: file });
    if (process.env.UPDATE_DOC_SCREENSHOTS === '1' && scheme === 'light' && name === 'calls') {
      mkdirSync('docs/screenshots', { recursive: true });
      copyFileSync(file, 'docs/screenshots/console-demo.png');
    }
  };
  const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: label, exact: false }).first().click();
  await nav('Calls');
  await expect(page.getByTestId('call-row').first()).toBeVisible();
  if (scheme === 'light') {
    // Show a session in progress: whisper on the first Exotel call.
    await page.getByLabel('Filter by vendor').selectOption('exotel');
    await page.getByTestId('call-row').first().getByRole('button', { name: /^Whisper on call/ }).click();
    await expect(page.getByTestId('monitoring-indicator')).toBeVisible();
    await page.getByLabel('Filter by vendor').selectOption({ label: 'All vendors' });
  }
  await page.waitForTimeout(600);
  await shot('calls');
  await page.getByTestId('call-row').nth(2).click();
  await expect(page.getByTestId('call-drawer')).toBeVisible();
  await page.waitForTimeout(400);
  await shot('call-drawer');
  await page.getByRole('button', { name: 'Close call details' }).click();
  await nav('Agents');
  await page.waitForTimeout(400);
  await shot('agents');
  await nav('Chat');
  await page.waitForTimeout(400);
  await shot('chat');
  await nav('Accounts');
  await page.waitForTimeout(400);
  await shot('accounts');
  await nav('Audit log');
  await page.waitForTimeout(400);
  await shot('audit');
  await nav('Settings');
  await page.waitForTimeout(400);
  await shot('settings');
}

test.describe('screenshots at 1280×720', () => {
  let host: ConsoleHost;
  test.beforeAll(async () => {
    host = await startConsoleHost({ SWITCHBOARD_DEMO_SEED: '7', SWITCHBOARD_DEMO_TRAFFIC_MS: '1500' });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`every main view, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      const { cspViolations } = await openConsole(page, host);
      await views(page, scheme);
      expect(cspViolations).toEqual([]);
    });
  }
});
