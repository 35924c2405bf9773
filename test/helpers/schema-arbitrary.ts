// fast-check arbitraries shaped by a zod 4 schema: a small walker over `schema._zod.def` that builds
// values which pass the schema most of the time, with nasty text (markup, control characters,
// bidi marks, emoji, lone surrogates, prototype names, strings cut to the exact maximum length) in
// every free-text field and boundary numbers in every numeric one; plus `mutated`, which turns a
// share of them into near misses (one field replaced by a bad value, an unknown key, a key removed).
// Refinements (`.refine`) are not modelled: a value may still fail them, which the caller measures.
import fc from 'fast-check';

/**
 * Picks the arbitrary for a path (object keys, `[]` for array elements), or undefined for the
 * walker's own; `own()` is the walker's own, to mix with (live keys and generated ones, say).
 */
export type Override = (path: readonly string[], own: () => fc.Arbitrary<unknown>) => fc.Arbitrary<unknown> | undefined;

const HUGE = 'A'.repeat(10_000);
export const NASTY_STRINGS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '\u0000\u0007\u0008\u001b[31m\r\n\t\u007f',
  '\u202Egnp.exe\u202C',
  '\u200F\u200E\u061C rtl \u2067isolate\u2069',
  'مرحبا بالعالم',
  '\u200B\uFEFF\u00AD',
  '\uD800 lone surrogate \uDFFF',
  '💥👩‍👩‍👧‍👦🏳️‍🌈🇮🇳',
  'Z̴̡̢͇̅a̶̛͉l̷g̶o̵',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  '%00%0d%0a',
  '${7*7}{{7*7}}',
  "'; DROP TABLE calls;--",
  '=HYPERLINK("http://x","y")',
  '   ',
  '',
  'null',
  HUGE,
  '💥'.repeat(5_000),
  '<b>'.repeat(3_400),
];
/** The 10k-character strings; an error message must never carry one back. */
export const HUGE_STRINGS = NASTY_STRINGS.filter((s) => s.length >= 10_000);

/** Cuts (or pads) a string to fit a length range; when the schema trims, the trimmed text must fit. */
export function fitLength(s: string, min = 0, max = Infinity, trims = false): string {
  let v = s.length > max ? s.slice(0, max) : s;
  if ((trims ? v.trim() : v).length < min) v = ('x'.repeat(min) + v).slice(0, max);
  return v;
}

/** Nasty text that still fits a length range (so it passes a plain `z.string().min().max()`). */
export function nastyText(min = 0, max = Infinity, trims = false): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 5, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom('ok', 'Hello agent', 'BREAK') },
    )
    .map((s) => fitLength(s, min, max, trims));
}

const URLS = [
  'https://127.0.0.1:9/hold.wav',
  'http://localhost:1/a?b=<script>alert(1)</script>',
  'https://example.test/%3Cimg%20src=x%20onerror=alert(1)%3E',
  'https://xn--80ak6aa92e.test/💥',
  'https://[::1]:1/',
  `https://a.test/${'a'.repeat(2000)}`,
  'javascript:alert(1)',
  'file:///etc/passwd',
  'data:text/html,<script>alert(1)</script>',
];

type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
type Schema = { _zod: { def: Def } };
const defOf = (s: unknown): Def => (s as Schema)._zod.def;

function stringArb(def: Def): fc.Arbitrary<string> {
  let min = 0;
  let max = Infinity;
  let trims = false;
  const patterns: RegExp[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length') min = Math.max(min, d.minimum as number);
    else if (d.check === 'max_length') max = Math.min(max, d.maximum as number);
    else if (d.check === 'length_equals') min = max = d.length as number;
    else if (d.check === 'overwrite') trims = true; // the contract's only overwrite is .trim()
    else if (d.check === 'string_format' && d.pattern instanceof RegExp) patterns.push(d.pattern);
  }
  if (def.format === 'url') {
    const protocol = def.protocol instanceof RegExp ? def.protocol : null;
    const fits = URLS.filter((u) => u.length <= max && (!protocol || protocol.test(new URL(u).protocol.slice(0, -1))));
    return fc.constantFrom(...fits);
  }
  if (def.format === 'datetime') {
    return fc
      .tuple(fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }), fc.constantFrom('Z', '+05:30', '-12:00', '+14:00'))
      .map(([d, zone]) => d.toISOString().replace('Z', zone));
  }
  if (def.format && def.format !== 'regex') throw new Error(`schema-arbitrary: string format ${String(def.format)} not modelled`);
  if (patterns.length > 1) throw new Error('schema-arbitrary: more than one pattern on a string');
  // A pattern decides: mostly matching strings, a few nasty ones that must then be refused.
  if (patterns[0]) return fc.oneof({ weight: 9, arbitrary: fc.stringMatching(patterns[0]).filter((s) => s.length >= min && s.length <= max) }, { weight: 1, arbitrary: nastyText() });
  return nastyText(min, max, trims);
}

function numberArb(def: Def): fc.Arbitrary<number> {
  const int = typeof def.format === 'string' && /int/.test(def.format);
  let min = int ? Number.MIN_SAFE_INTEGER : -Number.MAX_VALUE;
  let max = int ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
  let minExcluded = false;
  let maxExcluded = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than') [min, minExcluded] = [d.value as number, !d.inclusive];
    else if (d.check === 'less_than') [max, maxExcluded] = [d.value as number, !d.inclusive];
    else if (d.check !== 'number_format') throw new Error(`schema-arbitrary: number check ${String(d.check)} not modelled`);
  }
  if (!int) return fc.double({ min, max, minExcluded, maxExcluded, noNaN: true });
  const lo = minExcluded ? min + 1 : min;
  const hi = maxExcluded ? max - 1 : max;
  return fc.oneof(fc.constantFrom(...new Set([lo, hi, Math.min(lo + 1, hi), Math.max(hi - 1, lo)])), fc.integer({ min: lo, max: hi }));
}

/** An arbitrary of values shaped by `schema` (its input side: pipes are walked on their way in). */
export function schemaArbitrary(schema: unknown, override?: Override, path: readonly string[] = []): fc.Arbitrary<unknown> {
  const chosen = override?.(path, () => ownArbitrary(schema, override, path));
  return chosen ?? ownArbitrary(schema, override, path);
}

function ownArbitrary(schema: unknown, override: Override | undefined, path: readonly string[]): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const walk = (s: unknown, p: readonly string[] = path) => schemaArbitrary(s, override, p);
  switch (def.type) {
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'optional':
    case 'default':
      return walk(def.innerType); // absence is decided by the enclosing object
    case 'nullable':
      return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: walk(def.innerType) });
    case 'pipe':
      return walk(def.in);
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((o) => walk(o)));
    case 'array': {
      let min = 0;
      let max = Infinity;
      for (const c of def.checks ?? []) {
        const d = c._zod.def;
        if (d.check === 'min_length') min = d.minimum as number;
        else if (d.check === 'max_length') max = d.maximum as number;
      }
      return fc.array(walk(def.element, [...path, '[]']), { minLength: min, maxLength: Math.min(max, min + 5) });
    }
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const requiredKeys: string[] = [];
      for (const [key, s] of Object.entries(shape)) {
        model[key] = walk(s, [...path, key]);
        if (!['optional', 'default'].includes(defOf(s).type)) requiredKeys.push(key);
      }
      return fc.record(model, { requiredKeys });
    }
    case 'record': {
      const keys = defOf(def.keyType);
      if (keys.type !== 'enum') throw new Error('schema-arbitrary: only records keyed by an enum are modelled');
      const model = Object.fromEntries(Object.values(keys.entries as Record<string, string>).map((k) => [k, walk(def.valueType, [...path, k])]));
      return fc.record(model, { requiredKeys: def.partial ? [] : Object.keys(model) });
    }
    default:
      throw new Error(`schema-arbitrary: zod type ${def.type} at ${path.join('.') || '(root)'} not modelled`);
  }
}

// ── near misses ────────────────────────────────────────────────────────────────────────────────

const BAD_VALUES: readonly unknown[] = [
  HUGE,
  '💥'.repeat(5_000),
  '',
  ' ',
  'x'.repeat(301),
  NaN,
  Infinity,
  -Infinity,
  -0,
  1.5,
  -1,
  2 ** 53,
  1e308,
  true,
  null,
  [],
  [HUGE],
  {},
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
];
const UNKNOWN_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'polluted', '<img src=x onerror=alert(1)>', '\u0000', '', HUGE];

type Mutation = { kind: 'replace' | 'addKey' | 'dropKey'; at: number; key: string; bad: unknown };

/** A deep copy that keeps own `__proto__` keys as data. */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function containers(v: unknown, into: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (v && typeof v === 'object') {
    into.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) containers(x, into);
  }
  return into;
}

function mutate(value: unknown, m: Mutation): unknown {
  const root = copy(value);
  const bad = copy(m.bad);
  const all = containers(root);
  const target = all[m.at % Math.max(all.length, 1)];
  if (!target) return bad;
  const keys = Object.keys(target);
  const set = (k: string, x: unknown) => Object.defineProperty(target, k, { value: x, enumerable: true, writable: true, configurable: true });
  if (m.kind === 'addKey' && !Array.isArray(target)) set(m.key, bad);
  else if (m.kind === 'dropKey' && keys.length) delete (target as Record<string, unknown>)[keys[m.at % keys.length]!];
  else if (keys.length) set(keys[m.at % keys.length]!, bad);
  else return m.at % 3 === 0 ? bad : root;
  return root;
}

/** `arb`, with about one value in `every` turned into a near miss. */
export function mutated(arb: fc.Arbitrary<unknown>, every = 5): fc.Arbitrary<unknown> {
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom('replace', 'replace', 'addKey', 'dropKey'),
    at: fc.nat(1_000),
    key: fc.constantFrom(...UNKNOWN_KEYS),
    bad: fc.constantFrom(...BAD_VALUES),
  });
  return fc.oneof({ weight: every - 1, arbitrary: arb }, { weight: 1, arbitrary: fc.tuple(arb, mutation).map(([v, m]) => mutate(v, m)) });
}
