// A double-click in Chromium sends one request: Barge, its Stop and "Yes, hang up" each reach the
// vendor's simulator once and leave one intent+outcome pair in the audit log, while the buttons show
// busy. And a barge whose outcome is unknown shows as possibly active, with a way to end it at the
// vendor.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { Call } from '../../main/domain/model.js';
import type { AuditRecord } from '../../main/engine/audit-log.js';
import type { EngageVoiceSimulator } from '../../main/vendors/engage-voice/simulator.js';
import { openConsole, type OpenedConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';
import { clickRequests, lines, liveCalls, showCall } from './sim-helpers.js';

let host: InProcessConsole;
let page: Page;
let opened: OpenedConsole;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  host = await startInProcessConsole();
  page = await browser.newPage();
  opened = await openConsole(page, { url: host.url } as never);
});
test.afterAll(async () => {
  await page?.close();
  await host?.stop();
});
test.afterEach(() => {
  expect(opened.cspViolations).toEqual([]);
});

const ev = (): EngageVoiceSimulator => host.centre.byVendor('engage-voice').sim as unknown as EngageVoiceSimulator;
const phone = (): string => host.centre.byVendor('engage-voice').config.supervisorPhone!;
const evSim = () => host.centre.byVendor('engage-voice').sim.server;

function auditRecords(): AuditRecord[] {
  return readFileSync(path.join(host.dataDir, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** The audit lines for one command on one call: exactly an intent and its outcome, under one id. */
function expectOnePair(records: AuditRecord[], target: string, action: string, outcome: string): void {
  const mine = records.filter((r) => r.target === target && r.action === action);
  expect(mine.map((r) => ('phase' in r ? r.phase : 'complete'))).toEqual(['intent', 'outcome']);
  const [intent, done] = mine as [AuditRecord & { id: string }, AuditRecord & { id: string; outcome: string }];
  expect(done.id).toBe(intent.id);
  expect(done.outcome).toBe(outcome);
}

const nav = (name: string): Locator => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${name}`) });
const bargeButton = (row: Locator, stop = false) => row.getByRole('button', { name: new RegExp(`^${stop ? 'Stop ' : ''}Barge on call`) });

test('double-click on Barge, then on its Stop: one vendor request each, one audit pair each, busy meanwhile', async () => {
  const call: Call = liveCalls(host, 'engage-voice', true)[0]!;
  const row = await showCall(page, call);
  const before = auditRecords().length;
  evSim().clearLog();
  // The vendor takes a moment, as a real one does: the second click lands while the first is in flight.
  evSim().injectFault({ kind: 'latency', ms: 700, times: 1, match: /addSessionToCall$/ });

  await bargeButton(row).dblclick();
  await expect(row.locator('.cell.actions')).toHaveAttribute('aria-busy', 'true');
  await expect(bargeButton(row)).toHaveAttribute('aria-disabled', 'true');
  await expect(bargeButton(row, true)).toHaveAttribute('aria-pressed', 'true');
  await expect(row.locator('.cell.actions')).toHaveAttribute('aria-busy', 'false');
  await expect(row.locator('.cell.watchers')).toHaveText('You: barge');

  const sent = clickRequests(evSim().log);
  expect(lines(sent)).toEqual([expect.stringMatching(/addSessionToCall$/)]);
  expect(sent[0]!.query).toEqual({ destination: phone(), sessionType: 'BARGEIN' });
  expect([...ev().state.calls.get(call.vendorCallId)!.sessions]).toEqual([[phone(), 'BARGEIN']]);
  expectOnePair(auditRecords().slice(before), call.key, 'monitor.barge', 'ok');

  evSim().clearLog();
  evSim().injectFault({ kind: 'latency', ms: 500, times: 1, match: /hangupSession$/ });
  await bargeButton(row, true).dblclick();
  await expect(bargeButton(row)).toHaveAttribute('aria-pressed', 'false');
  await expect(row.locator('.cell.watchers')).toHaveText('');
  expect(lines(clickRequests(evSim().log))).toEqual([expect.stringMatching(/hangupSession$/)]);
  expect(ev().state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
  expectOnePair(auditRecords().slice(before), call.key, 'monitor.stop', 'ok');

  // The Audit log view shows each command once, as a pair read together.
  await nav('Audit log').click();
  const rows = page.getByTestId('audit-row').filter({ hasText: call.key });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'monitor.barge' }).locator('.badge')).toHaveText('ok');
  await expect(rows.filter({ hasText: 'monitor.stop' }).locator('.badge')).toHaveText('ok');
  await nav('Calls').click();
});

test('double-click on "Yes, hang up": one hangupCall, one audit pair', async () => {
  const call: Call = liveCalls(host, 'engage-voice', true)[1]!;
  const row = await showCall(page, call);
  await row.click();
  const drawer = page.getByTestId('call-drawer');
  await drawer.getByRole('button', { name: 'Hang up…' }).click();
  const before = auditRecords().length;
  evSim().clearLog();
  evSim().injectFault({ kind: 'latency', ms: 700, times: 1, match: /hangupCall$/ });
  const yes = drawer.getByRole('button', { name: 'Yes, hang up' });
  await yes.dblclick();
  await expect(drawer.getByRole('button', { name: 'Hanging up…' })).toBeDisabled();
  await expect(page.getByTestId('toast').filter({ hasText: 'Call ended: done' })).toBeVisible();
  expect(lines(clickRequests(evSim().log))).toEqual([expect.stringMatching(/hangupCall$/)]);
  expectOnePair(auditRecords().slice(before), call.key, 'call.hangup', 'ok');
});

test('a barge of unknown outcome shows as possibly active, and "End it at the vendor" ends it there', async () => {
  const call: Call = liveCalls(host, 'engage-voice', true)[2]!;
  const row = await showCall(page, call);
  await row.click();
  evSim().clearLog();
  // The connection drops once the request is out: Engage may have dialled the supervisor. Here it did.
  evSim().injectFault({ kind: 'drop', times: 1, match: /addSessionToCall$/ });
  ev().state.calls.get(call.vendorCallId)!.sessions.set(phone(), 'BARGEIN');
  await bargeButton(row).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'may or may not have taken effect' })).toBeVisible();
  await expect(row.getByTestId('possibly-active')).toHaveText('You: barge?');
  await expect(bargeButton(row, true)).toHaveAttribute('aria-pressed', 'true');
  const note = page.getByTestId('possibly-active-note');
  await expect(note).toContainText('may still be live');

  evSim().clearLog();
  await note.getByRole('button', { name: 'End it at the vendor' }).click();
  await expect(row.getByTestId('possibly-active')).toHaveCount(0);
  await expect(note).toHaveCount(0);
  const sent = clickRequests(evSim().log);
  expect(lines(sent)).toEqual([expect.stringMatching(/hangupSession$/)]);
  expect(sent[0]!.query).toEqual({ phone: phone() });
  expect(ev().state.calls.get(call.vendorCallId)!.sessions.size).toBe(0);
});
