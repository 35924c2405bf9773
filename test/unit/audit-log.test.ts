import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, csvCell, runAudited, STOPPED_BEFORE_OUTCOME } from '../../main/engine/audit-log.js';
import { SwitchboardError } from '../../main/domain/errors.js';

let dir: string;
let log: AuditLog;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sb-audit-'));
  log = new AuditLog(path.join(dir, 'audit.jsonl'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (i: number) => ({ at: 1_700_000_000_000 + i, accountId: 'a', target: `a:c${i}`, action: 'call.hold', outcome: 'ok' as const });

describe('audit log', () => {
  it('appends one line per entry and reads newest first', () => {
    for (let i = 0; i < 3; i++) log.append(entry(i));
    expect(readFileSync(log.file, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(log.read().entries.map((e) => e.target)).toEqual(['a:c2', 'a:c1', 'a:c0']);
  });

  it('keeps every readable line of a hand-corrupted file and counts the rest', () => {
    log.append(entry(0));
    appendFileSync(log.file, '{"at": 12, "accountId": "a", "tar\n'); // a crash mid-write
    appendFileSync(log.file, 'not json at all\n');
    appendFileSync(log.file, JSON.stringify({ at: 'yesterday', action: 5 }) + '\n'); // valid JSON, wrong shape
    log.append(entry(1));
    const { entries, damaged } = log.read();
    expect(entries.map((e) => e.target)).toEqual(['a:c1', 'a:c0']);
    expect(damaged).toBe(3);
    // Appending after damage still works, and the export carries only readable entries.
    log.append(entry(2));
    expect(log.exportCsv().trim().split('\r\n')).toHaveLength(4);
  });

  it('starts a new line after a torn last line, so the next entry is not glued onto it and lost', () => {
    log.append(entry(0));
    appendFileSync(log.file, '{"at": 12, "accountId": "a", "tar'); // a crash mid-write: no newline
    // The app starts again with the damaged file.
    const reopened = new AuditLog(log.file);
    reopened.append(entry(1));
    reopened.append(entry(2));
    const { entries, damaged } = reopened.read();
    expect(entries.map((e) => e.target)).toEqual(['a:c2', 'a:c1', 'a:c0']);
    expect(damaged).toBe(1);
    expect(readFileSync(log.file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('adds no blank line to a file that ends cleanly, nor to a new one', () => {
    const fresh = new AuditLog(path.join(dir, 'new', 'audit.jsonl'));
    fresh.append(entry(0));
    new AuditLog(fresh.file).append(entry(1));
    expect(readFileSync(fresh.file, 'utf8').split('\n')).toHaveLength(3);
  });

  it('reads an empty or missing file as no entries', () => {
    expect(new AuditLog(path.join(dir, 'none', 'audit.jsonl')).read()).toEqual({ entries: [], damaged: 0 });
    writeFileSync(log.file, '\n\n');
    expect(log.read()).toEqual({ entries: [], damaged: 0 });
  });

  it('quotes CSV cells and defuses spreadsheet formulas, but leaves phone numbers alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+14155550100')).toBe('+14155550100');
    expect(csvCell('-12')).toBe('-12');
  });

  it('records refusals, failures and unknown outcomes as such, and rethrows', async () => {
    const clock = { now: () => 5 };
    await expect(runAudited(log, clock, { accountId: 'a', target: 't', action: 'x' }, () => Promise.reject(new SwitchboardError('unsupported', 'no')))).rejects.toThrow('no');
    await expect(runAudited(log, clock, { accountId: 'a', target: 't', action: 'y' }, () => Promise.reject(new SwitchboardError('outcome_unknown', 'no answer')))).rejects.toMatchObject({ code: 'outcome_unknown' });
    await expect(runAudited(log, clock, { accountId: 'a', target: 't', action: 'z' }, () => Promise.reject(new SwitchboardError('rate_limited', 'slow down')))).rejects.toThrow();
    expect(log.read().entries.map((e) => [e.action, e.outcome])).toEqual([
      ['z', 'failed'],
      ['y', 'unknown'],
      ['x', 'refused'],
    ]);
  });

  it('records an unreadable reply as the failure it was reported as: a read before any action went out changed nothing', async () => {
    const clock = { now: () => 5 };
    const run = () => Promise.reject(new SwitchboardError('bad_response', 'garbled'));
    await expect(runAudited(log, clock, { accountId: 'a', target: 't', action: 'monitor.listen' }, run)).rejects.toMatchObject({ code: 'bad_response' });
    expect(log.read().entries[0]).toMatchObject({ outcome: 'failed', error: { code: 'bad_response' } });
  });
});

describe('audit log: intent before, outcome after', () => {
  const clock = (() => {
    let t = 1_000;
    return { now: () => (t += 10) };
  })();
  const lines = () =>
    readFileSync(log.file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes the intent before the command runs and the outcome after, and reads them as one entry', async () => {
    let seenWhileRunning: Record<string, unknown>[] = [];
    let readWhileRunning: unknown;
    await runAudited(log, clock, { accountId: 'a', target: 'a:c1', action: 'monitor.barge', detail: 'mode=barge' }, async () => {
      seenWhileRunning = lines();
      readWhileRunning = log.read().entries[0];
      return 'done';
    });
    expect(seenWhileRunning).toEqual([expect.objectContaining({ phase: 'intent', action: 'monitor.barge', target: 'a:c1', detail: 'mode=barge' })]);
    // While it runs, this run reads it as pending, not as stopped.
    expect(readWhileRunning).toMatchObject({ action: 'monitor.barge', outcome: 'pending', finishedAt: null });
    expect(readWhileRunning).not.toHaveProperty('error');
    const [intent, outcome] = lines();
    expect(outcome).toMatchObject({ phase: 'outcome', id: intent!.id, action: 'monitor.barge', target: 'a:c1', outcome: 'ok' });
    const { entries } = log.read();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      id: intent!.id,
      at: intent!.at,
      finishedAt: outcome!.at,
      accountId: 'a',
      target: 'a:c1',
      action: 'monitor.barge',
      detail: 'mode=barge',
      outcome: 'ok',
    });
  });

  it('an intent an earlier run never finished reads as outcome unknown: the app stopped before the vendor answered', () => {
    const crashed = new AuditLog(log.file);
    crashed.begin({ accountId: 'a', target: 'a:c9', action: 'monitor.barge' }, 5_000);
    // The process dies here; a new one opens the same file.
    const next = new AuditLog(log.file);
    const [entry] = next.read().entries;
    expect(entry).toMatchObject({ action: 'monitor.barge', target: 'a:c9', at: 5_000, finishedAt: null, outcome: 'unknown', error: STOPPED_BEFORE_OUTCOME });
    expect(entry!.error!.message).toMatch(/the app stopped before the vendor answered/);
    expect(next.interrupted().map((e) => e.target)).toEqual(['a:c9']);
    expect(next.exportCsv()).toMatch(/monitor\.barge,,unknown,outcome_unknown: Outcome unknown: the app stopped before the vendor answered/);
    // The file is only ever appended to: later commands add lines, the old intent stays as it was.
    next.append(entry_(3));
    expect(lines()[0]).toMatchObject({ phase: 'intent', target: 'a:c9' });
  });

  it('orders entries by when each command was given, pairs interleaved outcomes by id, and exports one row per command', () => {
    const first = log.begin({ accountId: 'a', target: 'a:c1', action: 'monitor.listen' }, 100);
    const second = log.begin({ accountId: 'a', target: 'a:c2', action: 'call.hold' }, 200);
    log.finish(second, 250, 'failed', { code: 'invalid_state', message: 'not now' });
    log.finish(first, 300, 'unknown', { code: 'outcome_unknown', message: 'no answer' });
    const { entries } = log.read();
    expect(entries.map((e) => [e.action, e.at, e.finishedAt, e.outcome])).toEqual([
      ['call.hold', 200, 250, 'failed'],
      ['monitor.listen', 100, 300, 'unknown'],
    ]);
    const csv = log.exportCsv().trim().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toBe(`${new Date(100).toISOString()},a,a:c1,monitor.listen,,unknown,outcome_unknown: no answer`);
    expect(csv[2]).toBe(`${new Date(200).toISOString()},a,a:c2,call.hold,,failed,invalid_state: not now`);
    expect(log.read(1).entries.map((e) => e.action)).toEqual(['call.hold']);
  });

  it('reads old one-line entries and an outcome whose intent line was damaged', () => {
    log.append(entry_(0)); // what earlier versions wrote
    appendFileSync(log.file, '{"at": 12, "id": "x1", "phase": "inte\n'); // the intent, torn
    appendFileSync(log.file, JSON.stringify({ at: 20, id: 'x1', phase: 'outcome', accountId: 'a', target: 'a:c7', action: 'call.mute', outcome: 'ok' }) + '\n');
    const { entries, damaged } = log.read();
    expect(damaged).toBe(1);
    expect(entries.map((e) => [e.target, e.action, e.outcome, e.finishedAt])).toEqual([
      ['a:c7', 'call.mute', 'ok', 20],
      ['a:c0', 'call.hold', 'ok', 1_700_000_000_000],
    ]);
  });

  it('does not send a command whose intent cannot be written', async () => {
    // The log's path is a folder: every write fails.
    const blocked = new AuditLog(path.join(dir, 'blocked'));
    mkdirSync(blocked.file);
    let ran = false;
    await expect(runAudited(blocked, clock, { accountId: 'a', target: 't', action: 'monitor.barge' }, async () => void (ran = true))).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('audit log'),
    });
    expect(ran).toBe(false);
  });

  it('refuses a finish for an intent it never began', () => {
    expect(() => log.finish('nope', 1, 'ok')).toThrow();
  });
});

function entry_(i: number) {
  return { at: 1_700_000_000_000 + i, accountId: 'a', target: `a:c${i}`, action: 'call.hold', outcome: 'ok' as const };
}
