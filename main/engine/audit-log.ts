// Append-only JSONL record of every supervisor command and its outcome. Lines are written whole;
// a damaged line (a crash mid-write, a hand edit) is skipped and counted, never fatal.
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { toErrorInfo } from '../domain/errors.js';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../settings/data-folder.js';
import type { Clock } from './clock.js';

export const AuditEntry = z.object({
  at: z.number(),
  accountId: z.string(),
  /** callKey, agentKey, or the account id for account-level actions. */
  target: z.string(),
  action: z.string(),
  /** Non-secret parameters, e.g. "mode=barge", "reason=LUNCH", "to=+14155550100". */
  detail: z.string().optional(),
  outcome: z.enum(['ok', 'failed', 'unknown', 'refused']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export class AuditLog {
  /** Whether the file ends with a newline; null until checked (or after a failed write). */
  private endsClean: boolean | null = null;

  constructor(readonly file: string) {
    makePrivateDir(path.dirname(file));
  }

  append(entry: AuditEntry): void {
    const line = JSON.stringify(AuditEntry.parse(entry)) + '\n';
    // A torn last line (a crash mid-write) has no newline: this entry would be glued onto it and
    // lost with it, so it starts a line of its own.
    this.endsClean ??= endsWithNewline(this.file);
    try {
      appendFileSync(this.file, this.endsClean ? line : '\n' + line, { mode: PRIVATE_FILE_MODE });
      this.endsClean = true;
    } catch (err) {
      // Part of the line may have been written: look at the end of the file again next time.
      this.endsClean = null;
      throw err;
    }
  }

  /** Newest first; `damaged` counts lines that could not be read. */
  read(limit = 1000): { entries: AuditEntry[]; damaged: number } {
    if (!existsSync(this.file)) return { entries: [], damaged: 0 };
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const entries: AuditEntry[] = [];
    let damaged = 0;
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      try {
        const parsed = AuditEntry.safeParse(JSON.parse(line));
        if (parsed.success) entries.push(parsed.data);
        else damaged += 1;
      } catch {
        damaged += 1;
      }
    }
    return { entries, damaged };
  }

  exportCsv(): string {
    const header = ['time', 'account', 'target', 'action', 'detail', 'outcome', 'error'];
    const rows = this.read(Number.MAX_SAFE_INTEGER)
      .entries.reverse()
      .map((e) => [new Date(e.at).toISOString(), e.accountId, e.target, e.action, e.detail ?? '', e.outcome, e.error ? `${e.error.code}: ${e.error.message}` : '']);
    return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

/** Reads only the last byte, once per AuditLog: our own whole-line writes keep it true afterwards. */
function endsWithNewline(file: string): boolean {
  if (!existsSync(file)) return true;
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula (phone numbers stay as they are). */
export function csvCell(value: string): string {
  const formula = /^[=+\-@\t\r]/.test(value) && !/^[+-]?[0-9]+$/.test(value);
  const safe = formula ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Runs a supervisor command and writes its attempt and outcome to the audit log whatever happens.
 * Errors are recorded as they come: whether an unreadable vendor reply leaves an action's outcome
 * unknown is decided where the request was made (HttpCore.actAndRead), because only there is it
 * known whether the reply answered the action or a read made before anything was sent.
 */
export async function runAudited<T>(audit: AuditLog, clock: Pick<Clock, 'now'>, base: Omit<AuditEntry, 'at' | 'outcome' | 'error'>, run: () => Promise<T>): Promise<T> {
  try {
    const value = await run();
    audit.append({ ...base, at: clock.now(), outcome: 'ok' });
    return value;
  } catch (err) {
    const info = toErrorInfo(err);
    const outcome = info.code === 'outcome_unknown' ? 'unknown' : info.code === 'unsupported' || info.code === 'not_configured' ? 'refused' : 'failed';
    audit.append({ ...base, at: clock.now(), outcome, error: { code: info.code, message: info.message } });
    throw err;
  }
}
