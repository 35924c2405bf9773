// An account that stops answering: after the stale line its calls and agents stay on screen as
// last seen, marked stale, never as live; when it answers again they are live again. And the
// pace of polling follows whether a page is in view.
import { expect, test } from '@playwright/test';
import { openConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';

let host: InProcessConsole;
test.beforeAll(async () => {
  host = await startInProcessConsole({ calls: 8, agents: 8 });
});
test.afterAll(async () => {
  await host.stop();
});

test('a vendor that stops answering is shown stale on the grid, the board and the top bar, then live again', async ({ page }) => {
  test.setTimeout(60_000);
  await openConsole(page, { url: host.url } as never);
  const lv = host.centre.byVendor('livevox');
  const id = lv.config.id;
  const callRows = page.locator(`[data-testid="call-row"][data-call-key^="${id}:"]`);
  await expect(callRows.first()).toBeVisible();
  await expect(page.locator('[data-call-key].stale')).toHaveCount(0);

  lv.sim.server.injectFault({ kind: 'drop' });
  // Stale after three missed call polls plus a request timeout (about 14 s in view).
  await expect(callRows.first()).toHaveClass(/\bstale\b/, { timeout: 30_000 });
  await expect(page.locator('[data-testid="call-row"].stale:not([data-call-key^="' + id + ':"])')).toHaveCount(0);
  const chip = page.getByTestId('health-chip').filter({ hasText: lv.config.label });
  await expect(chip.getByTestId('data-age')).toHaveText('stale');
  await expect(page.getByTestId('health-chip').getByTestId('data-age').filter({ hasText: 'stale' })).toHaveCount(1);

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Agents/ }).click();
  const board = page.getByRole('region', { name: 'Agent board' });
  const lvAgent = board.locator(`tr[data-agent-key^="${id}:"]`).first();
  await expect(lvAgent).toHaveClass(/\bstale\b/);
  await expect(lvAgent.getByTestId('agent-stale')).toHaveText('stale');
  await expect(board.locator(`tr[data-agent-key]:not([data-agent-key^="${id}:"])`).getByTestId('agent-stale')).toHaveCount(0);

  lv.sim.server.clearFaults();
  await expect(lvAgent.getByTestId('agent-stale')).toHaveCount(0, { timeout: 20_000 });
  await expect(lvAgent).not.toHaveClass(/\bstale\b/);
  await expect(chip.getByTestId('data-age')).not.toHaveText('stale');
});

test('a page that opens (or reloads) after another was hidden puts the engine back at the visible pace', async ({ page }) => {
  await openConsole(page, { url: host.url } as never);
  await expect.poll(() => host.core.engine.inView).toBe(true);
  // What a closing page leaves behind: the engine told it is no longer in view.
  host.core.engine.setVisible(false);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  await expect.poll(() => host.core.engine.inView).toBe(true);
});
