// Opening the console the way a supervisor does, for every renderer spec: load the link, wait for
// the bridge, leave the first-run welcome for the demo. CSP violations are collected, never ignored.
import { expect, type Page } from '@playwright/test';
import type { ConsoleHost } from './console-host.js';

export interface OpenedConsole {
  cspViolations: string[];
}

export async function openConsole(page: Page, host: ConsoleHost, opts: { keepWelcome?: boolean } = {}): Promise<OpenedConsole> {
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  await expect(page.locator('.shell[data-ready="yes"]')).toBeVisible();
  if (!opts.keepWelcome) {
    const explore = page.getByRole('button', { name: 'Explore the demo' });
    if (await explore.isVisible()) await explore.click();
    await expect(explore).toBeHidden();
  }
  return { cspViolations };
}

/** A demo console with a fixed seed and no background traffic, so what a test sees stays put. */
export const FROZEN_DEMO = { SWITCHBOARD_DEMO_SEED: '7', SWITCHBOARD_DEMO_TRAFFIC_MS: '0' };
