// A settings file that is not valid JSON is usually a hand edit (a comment, a trailing comma, a
// typo) or a write cut short by a crash. Either way most of it is still readable: this recovers the
// longest readable beginning, so the supervisor's accounts survive a stray character.

export interface Salvaged {
  value: unknown;
  /** What was done to read it, for the user. */
  note: string;
}

/** Walks the text outside strings; `visit` sees each structural character and its offset. */
function scan(text: string, visit: (ch: string, i: number, stack: string[]) => void): { inString: boolean; stack: string[] } {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') stack.pop();
    visit(ch, i, stack);
  }
  return { inString, stack };
}

/** Comments and trailing commas, which people add by hand and JSON does not allow. */
export function stripJsonLeniencies(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    out += ch;
  }
  return out.replace(/^\uFEFF/, '').replace(/,(\s*[}\]])/g, '$1');
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; at: number } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    // V8 says "... at position N" (Node 20) or "(line L column C)"; unknown means "anywhere".
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    return { ok: false, at: m ? Number(m[1]) : text.length };
  }
}

const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** At most this many cut points are tried, from the damage backwards. */
const MAX_CUTS = 500;

export function salvageJson(text: string): Salvaged | null {
  const lenient = stripJsonLeniencies(text);
  const first = tryParse(lenient);
  if (first.ok) return { value: first.value, note: 'comments or trailing commas were ignored' };

  // Cut just before the damage, back to the last complete member, and close what is still open.
  const damaged = lenient.slice(0, first.at);
  const cuts: number[] = [];
  scan(damaged, (ch, i) => {
    if (ch === ',') cuts.push(i);
    else if (ch === '}' || ch === ']') cuts.push(i + 1);
  });
  for (const cut of cuts.reverse().slice(0, MAX_CUTS)) {
    const head = damaged.slice(0, cut);
    const { inString, stack } = scan(head, () => undefined);
    if (inString) continue;
    const attempt = tryParse(head + stack.reverse().join(''));
    if (attempt.ok) {
      return { value: attempt.value, note: `the file is damaged at line ${lineOf(lenient, first.at)}; everything before that was kept` };
    }
  }
  return null;
}
