// Append-only JSONL record of every supervisor command. Each command writes two lines: its intent
// before anything is sent, and its outcome after, joined by an id; so a crash in between leaves
// "started, outcome unknown" on file instead of nothing. Lines are written whole; a damaged line (a
// crash mid-write, a hand edit) is skipped and counted, never fatal. Readers see one entry per
// command, its intent and outcome paired.
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError, toErrorInfo } from '../domain/errors.js';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../settings/data-folder.js';
import type { Clock } from './clock.js';

const Outcome = z.enum(['ok', 'failed', 'unknown', 'refused']);
const ErrorText = z.object({ code: z.string(), message: z.string() });
const Base = {
  at: z.number(),
  accountId: z.string(),
  /** callKey, agentKey, or the account id for account-level actions. */
  target: z.string(),
  action: z.string(),
};

/** Written before the command is sent. */
const IntentRecord = z.object({
  ...Base,
  id: z.string().min(1),
  phase: z.literal('intent'),
  /** Non-secret parameters, e.g. "mode=barge", "reason=LUNCH", "to=+14155550100". */
  detail: z.string().optional(),
});
/** Written once the command has an outcome. It repeats what and where, so it reads alone if its intent line is damaged. */
const OutcomeRecord = z.object({ ...Base, id: z.string().min(1), phase: z.literal('outcome'), outcome: Outcome, error: ErrorText.optional() });
/** A command and its outcome in one line: what earlier versions wrote. */
const CompleteRecord = z.object({ ...Base, detail: z.string().optional(), outcome: Outcome, error: ErrorText.optional() });
/** One line of the file. */
export const AuditRecord = z.union([IntentRecord, OutcomeRecord, CompleteRecord]);
export type AuditRecord = z.infer<typeof AuditRecord>;
type IntentRecord = z.infer<typeof IntentRecord>;

/** One command as readers see it: its intent and outcome paired. */
export const AuditEntry = z.object({
  /** Pairs an intent with its outcome; absent for entries written in one line by earlier versions. */
  id: z.string().optional(),
  /** When the command was given (its intent was written). */
  at: z.number(),
  /** When its outcome was written; null while it is in progress, or when none ever was. */
  finishedAt: z.number().nullable(),
  accountId: z.string(),
  target: z.string(),
  action: z.string(),
  detail: z.string().optional(),
  /** pending: this run is still waiting for the vendor. */
  outcome: z.enum(['pending', ...Outcome.options]),
  error: ErrorText.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What a command is, before it runs. */
export type AuditIntent = Omit<IntentRecord, 'at' | 'id' | 'phase'>;

/** How an intent with no outcome from an earlier run reads: the app stopped (or was killed) in between. */
export const STOPPED_BEFORE_OUTCOME = {
  code: 'outcome_unknown',
  message: 'Outcome unknown: the app stopped before the vendor answered. Check the call or agent at the vendor.',
} as const;

export class AuditLog {
  /** Whether the file ends with a newline; null until checked (or after a failed write). */
  private endsClean: boolean | null = null;
  /** Intents this run has written and not yet finished: they read as pending, not as stopped. */
  private readonly open = new Map<string, Omit<IntentRecord, 'phase' | 'detail'>>();

  constructor(readonly file: string) {
    makePrivateDir(path.dirname(file));
  }

  append(entry: AuditRecord): void {
    const line = JSON.stringify(AuditRecord.parse(entry)) + '\n';
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

  /** Writes a command's intent, before anything is sent; returns the id its outcome goes under. */
  begin(intent: AuditIntent, at: number): string {
    const id = randomUUID();
    this.append({ ...intent, at, id, phase: 'intent' });
    this.open.set(id, { accountId: intent.accountId, target: intent.target, action: intent.action, at, id });
    return id;
  }

  /** Writes the outcome of an intent begun by this log. */
  finish(id: string, at: number, outcome: z.infer<typeof Outcome>, error?: z.infer<typeof ErrorText>): void {
    const intent = this.open.get(id);
    if (!intent) throw new SwitchboardError('internal', 'No such audit intent is open.');
    this.open.delete(id);
    this.append({ accountId: intent.accountId, target: intent.target, action: intent.action, at, id, phase: 'outcome', outcome, ...(error ? { error } : {}) });
  }

  /** Newest first (by when each command was given); `damaged` counts lines that could not be read. */
  read(limit = 1000): { entries: AuditEntry[]; damaged: number } {
    const { entries, damaged } = this.readAll();
    return { entries: entries.reverse().slice(0, limit), damaged };
  }

  /**
   * Commands of earlier runs that never got an outcome (the app stopped while the vendor had them)
   * and are still the last command given on their target.
   */
  interrupted(): AuditEntry[] {
    const last = new Map<string, AuditEntry>();
    for (const e of this.readAll().entries) last.set(e.target, e);
    return [...last.values()].filter((e) => e.finishedAt === null && e.outcome === 'unknown');
  }

  /** Every entry, oldest first: intents paired with their outcomes by id. */
  private readAll(): { entries: AuditEntry[]; damaged: number } {
    if (!existsSync(this.file)) return { entries: [], damaged: 0 };
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const entries: AuditEntry[] = [];
    const byId = new Map<string, AuditEntry>();
    let damaged = 0;
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      let parsed: ReturnType<typeof AuditRecord.safeParse>;
      try {
        parsed = AuditRecord.safeParse(JSON.parse(line));
      } catch {
        damaged += 1;
        continue;
      }
      if (!parsed.success) {
        damaged += 1;
        continue;
      }
      const r = parsed.data;
      const base = { at: r.at, accountId: r.accountId, target: r.target, action: r.action };
      if ('phase' in r && r.phase === 'intent') {
        const pending = this.open.has(r.id);
        const e: AuditEntry = {
          id: r.id,
          ...base,
          finishedAt: null,
          ...(r.detail === undefined ? {} : { detail: r.detail }),
          outcome: pending ? 'pending' : 'unknown',
          ...(pending ? {} : { error: { ...STOPPED_BEFORE_OUTCOME } }),
        };
        entries.push(e);
        byId.set(r.id, e);
      } else if ('phase' in r && r.phase === 'outcome') {
        const e = byId.get(r.id);
        if (e) {
          e.finishedAt = r.at;
          e.outcome = r.outcome;
          if (r.error) e.error = r.error;
          else delete e.error;
        } else {
          // Its intent line was damaged: the outcome still says what happened.
          entries.push({ id: r.id, ...base, finishedAt: r.at, outcome: r.outcome, ...(r.error ? { error: r.error } : {}) });
        }
      } else {
        entries.push({ ...base, finishedAt: r.at, ...(r.detail === undefined ? {} : { detail: r.detail }), outcome: r.outcome, ...(r.error ? { error: r.error } : {}) });
      }
    }
    return { entries, damaged };
  }

  /** One row per command: when it was given, and its outcome (or why there is none). */
  exportCsv(): string {
    const header = ['time', 'account', 'target', 'action', 'detail', 'outcome', 'error'];
    const rows = this.readAll().entries.map((e) => [
      new Date(e.at).toISOString(),
      e.accountId,
      e.target,
      e.action,
      e.detail ?? '',
      e.outcome,
      e.error ? `${e.error.code}: ${e.error.message}` : '',
    ]);
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
 * Runs a supervisor command, writing its intent first and its outcome after, whatever happens.
 * Errors are recorded as they come: whether an unreadable vendor reply leaves an action's outcome
 * unknown is decided where the request was made (HttpCore.actAndRead), because only there is it
 * known whether the reply answered the action or a read made before anything was sent.
 */
export async function runAudited<T>(audit: AuditLog, clock: Pick<Clock, 'now'>, intent: AuditIntent, run: () => Promise<T>): Promise<T> {
  let id: string;
  try {
    id = audit.begin(intent, clock.now());
  } catch {
    // An action the log cannot record is not sent: a crash could leave no trace of it.
    throw new SwitchboardError('internal', 'Switchboard could not write to its audit log, so the action was not sent. Check the disk has space.');
  }
  let value: T;
  try {
    value = await run();
  } catch (err) {
    const info = toErrorInfo(err);
    const outcome = info.code === 'outcome_unknown' ? 'unknown' : info.code === 'unsupported' || info.code === 'not_configured' ? 'refused' : 'failed';
    finishQuietly(audit, id, clock.now(), outcome, { code: info.code, message: info.message });
    throw err;
  }
  finishQuietly(audit, id, clock.now(), 'ok');
  return value;
}

/**
 * The vendor has answered, so its answer reaches the supervisor even if the outcome line cannot be
 * written: the intent is on file, and reads as outcome unknown rather than lost.
 */
function finishQuietly(audit: AuditLog, id: string, at: number, outcome: z.infer<typeof Outcome>, error?: z.infer<typeof ErrorText>): void {
  try {
    audit.finish(id, at, outcome, error);
  } catch {
    // See above.
  }
}
