// Shared by the specs that click in Chromium and then read what a vendor simulator received: which
// logged requests a click caused (the engine keeps polling meanwhile), and how to bring one call's
// row into the (virtualised) grid.
import { expect, type Locator, type Page } from '@playwright/test';
import type { Call, Vendor } from '../../main/domain/model.js';
import type { LoggedRequest } from '../../main/vendors/shared/sim-server.js';
import type { InProcessConsole } from './inproc-host.js';

const AUTH = /api_auth|session\/login|oauth\/token|auth\/login|token\/refresh/;
/** Reads the engine makes on its own (list polls, the service list), whatever the test clicks. */
const POLL = /activeCalls\/list|realTimeData\/agent|\/calls\/active$|\/channels$|agents\/status$|chat\/messages?$|service\/access$/;

/** The requests a click caused, in order: everything logged but logins and the engine's own polls. */
export function clickRequests(log: readonly LoggedRequest[]): LoggedRequest[] {
  return log.filter((r) => {
    const line = `${r.method} ${r.path}`;
    return !AUTH.test(line) && !POLL.test(line);
  });
}

export const lines = (log: readonly LoggedRequest[]): string[] => log.map((r) => `${r.method} ${r.path}`);

/** A JSON request body as an object (the vendors that take JSON bodies). */
export function jsonOf(r: LoggedRequest | undefined): Record<string, unknown> {
  expect(r, 'a logged request').toBeDefined();
  return JSON.parse(r!.body) as Record<string, unknown>;
}

/** Calls of a vendor in progress that nobody monitors, in a stable order. */
export function liveCalls(host: InProcessConsole, vendor: Vendor, withAgent = false): Call[] {
  return host.core.engine
    .calls()
    .filter((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0 && (!withAgent || c.agentName !== null))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Filters the grid to the call's vendor and number so its row is rendered; returns the row. */
export async function showCall(page: Page, call: Call): Promise<Locator> {
  await page.getByLabel('Filter by vendor').selectOption(call.vendor);
  await page.getByLabel('Search calls').fill(call.from ?? call.to ?? '');
  const row = page.locator(`[data-testid="call-row"][data-call-key="${call.key}"]`);
  await expect(row).toBeVisible();
  return row;
}

export const LABEL = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' } as const;
