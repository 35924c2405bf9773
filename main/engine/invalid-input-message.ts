// What an invalid request is told: which fields were wrong and how, bounded in length and with
// payload text made safe to show, so a hostile or huge payload is never echoed back.
import { kindOf } from '../domain/wire.js';

/** Bounds on an invalid_input message: it names what was wrong, never echoes a payload back. */
const MAX_ISSUES = 5;
const MAX_KEYS = 3;
/** A key or path segment, as shown; longer ones are cut with "…". */
const MAX_NAME = 40;
const MAX_PATH = 120;
const MAX_ISSUE = 200;
const MAX_MESSAGE = 500;

/** Shown escaped: control and format (bidi, zero-width) characters, line separators, lone surrogates. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * Text that came from a payload, safe to show: unprintable characters escaped as \uXXXX (and, in
 * quotes, `"` and `\` escaped too), cut with "…" to at most `max` UTF-16 units, never inside a character or an escape.
 */
function shown(text: string, max: number, inQuotes = false): string {
  let out = '';
  /** Where the text is cut if it turns out too long: the last piece boundary that leaves room for "…". */
  let cut = -1;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const piece = UNPRINTABLE.test(ch)
      ? code > 0xffff
        ? `\\u{${code.toString(16)}}`
        : `\\u${code.toString(16).padStart(4, '0')}`
      : inQuotes && (ch === '"' || ch === '\\')
        ? `\\${ch}`
        : ch;
    if (cut < 0 && out.length + piece.length > max - 1) cut = out.length;
    if (out.length + piece.length > max) return `${out.slice(0, cut)}…`;
    out += piece;
  }
  return out;
}

const quoted = (key: string): string => `"${shown(key, MAX_NAME, true)}"`;

/** zod's "Unrecognized key(s)" lists every key in full: a few, each cut short, then how many more. */
function unknownKeys(keys: readonly string[]): string {
  const listed = keys.slice(0, MAX_KEYS).map(quoted);
  const more = keys.length - listed.length;
  return `Unrecognized key${keys.length === 1 ? '' : 's'}: ${listed.join(', ')}${more ? ` and ${more} more` : ''}`;
}

interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/** A readable summary of what was wrong with an input, field by field, bounded in length. */
function describeIssues(issues: readonly Issue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((i) => {
    const what = i.code === 'unrecognized_keys' && Array.isArray(i.keys) ? unknownKeys(i.keys) : shown(i.message, MAX_ISSUE);
    if (!i.path.length) return what;
    const path = shown(i.path.map((p) => shown(String(p), MAX_NAME)).join('.'), MAX_PATH);
    return `${path}: ${what}`;
  });
  const more = issues.length - parts.length;
  return parts.join('; ') + (more ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
}

export function invalidInputMessage(request: string, issues: readonly Issue[]): string {
  return shown(`Invalid ${request} request: ${describeIssues(issues)}`, MAX_MESSAGE);
}

/**
 * A name that is not a request. Only a string is shown (escaped, cut short); anything else is named
 * by its kind, since converting it to text can throw (`{"toString": 1}`) or recurse without end.
 */
export function unknownRequestMessage(name: unknown): string {
  if (typeof name === 'string') return `Unknown request: "${shown(name, MAX_NAME * 2, true)}"`;
  return `Unknown request: the name must be a string, got ${kindOf(name)}`;
}

/** An input the schema could not even walk (it threw, e.g. nested too deep for the stack). */
export function unreadableInputMessage(request: string): string {
  return `Invalid ${request} request: the input could not be read (nested too deeply or too large)`;
}
