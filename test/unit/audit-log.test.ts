import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, csvCell, runAudited } from '../../main/engine/audit-log.js';
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
