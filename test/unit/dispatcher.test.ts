import { describe, expect, it } from 'vitest';
import { Dispatcher, type Handlers } from '../../main/engine/dispatcher.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { REQUEST_NAMES } from '../../preload/contract.js';

function dispatcherWith(overrides: Partial<Handlers>): Dispatcher {
  const unreachable = () => {
    throw new Error('not under test');
  };
  const handlers = new Proxy(overrides, { get: (t, k) => (t as Record<string | symbol, unknown>)[k] ?? unreachable }) as Handlers;
  return new Dispatcher(handlers);
}

describe('dispatcher', () => {
  it('refuses unknown request names', async () => {
    const d = dispatcherWith({});
    for (const name of ['nope', '__proto__', 'constructor', 42, null]) {
      expect(await d.dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('refuses names that cannot be turned into text, without throwing', async () => {
    const d = dispatcherWith({});
    // A JSON frame can carry any of these as its name; String() throws on the first two.
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    const odd: [unknown, RegExp][] = [
      [{ toString: 1 }, /^Unknown request: the name must be a string, got an object$/],
      [deep, /^Unknown request: the name must be a string, got an array$/],
      [{ valueOf: () => 'app.info' }, /got an object$/],
      [undefined, /got nothing$/],
      [Symbol('app.info'), /got a symbol$/],
      [10n, /got a bigint$/],
      [['app.info'], /got an array$/],
    ];
    for (const [name, message] of odd) {
      const r = await d.dispatch(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(!r.ok && r.error.message).toMatch(message);
    }
  });

  it('shows an unknown string name escaped and cut short', async () => {
    const d = dispatcherWith({});
    const r = await d.dispatch(`x\u202E${'n'.repeat(5_000)}`, {});
    expect(!r.ok && r.error.message).toMatch(/^Unknown request: "x\\u202en+…"$/);
    expect(!r.ok && r.error.message.length).toBeLessThanOrEqual(100);
  });

  it('answers every request with a result whatever odd input it carries', async () => {
    const d = dispatcherWith({});
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    const deepObject = JSON.parse('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)) as unknown;
    const inputs: unknown[] = [deep, { id: deep, account: deep, input: deepObject }, deepObject, { toString: 1, valueOf: 1 }, JSON.parse('{"__proto__": {"x": 1}}'), [], 'x', 1, true];
    for (const name of REQUEST_NAMES) {
      for (const input of inputs) {
        const r = await d.dispatch(name, input);
        // Every one of these is refused by the schema before a handler runs (the handlers here throw).
        expect(r, `${name} with ${typeof input}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('turns an input the schema cannot walk into invalid_input, not a rejection', async () => {
    const d = dispatcherWith({ 'accounts.remove': () => null });
    // A getter that throws stands for any input the parser trips over (IPC inputs are structured
    // clones, so this is the only way to reach the guard without a real stack overflow).
    const hostile = Object.defineProperty({}, 'id', { enumerable: true, get: () => { throw new RangeError('Maximum call stack size exceeded'); } });
    const r = await d.dispatch('accounts.remove', hostile);
    expect(r).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid accounts.remove request: the input could not be read (nested too deeply or too large)' } });
  });

  it('names the offending field of an invalid input', async () => {
    const d = dispatcherWith({ 'accounts.remove': () => null });
    const r = await d.dispatch('accounts.remove', { id: 5 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!r.ok && r.error.message).toMatch(/^Invalid accounts.remove request: id:/);
  });

  it('bounds an invalid_input message whatever unknown keys the input carries', async () => {
    const d = dispatcherWith({ 'app.info': () => null as never, 'accounts.remove': () => null });
    const message = async (name: string, input: unknown) => {
      const r = await d.dispatch(name, input);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      return !r.ok ? r.error.message : '';
    };

    // One 10,000-character key: named, cut short, never echoed.
    const huge = 'A'.repeat(10_000);
    const one = await message('app.info', { [huge]: 1 });
    expect(one).toMatch(/^Invalid app\.info request: Unrecognized key: "A{1,40}…"$/);
    expect(one.length).toBeLessThan(100);

    // Thousands of keys: the first few, then how many more.
    const many = await message('app.info', Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, 1])));
    expect(many).toBe('Invalid app.info request: Unrecognized keys: "k0", "k1", "k2" and 2997 more');

    // Nested, with the path kept; long keys of many characters each cut, the whole message bounded.
    const nested = await message('accounts.remove', { id: 'x', [huge]: 1, ['💥'.repeat(5_000)]: 2, ['<b>'.repeat(3_400)]: 3, x: 4 });
    expect(nested).toMatch(/^Invalid accounts\.remove request: Unrecognized keys: "A+…", "(💥)+…", "(<b>)+…" and 1 more$/);
    expect(nested.length).toBeLessThanOrEqual(500);
    expect(nested).not.toMatch(/[\uD800-\uDFFF]/u); // no emoji cut in half (a lone surrogate)
  });

  it('escapes control and bidi characters of a key, and names the path of a nested one', async () => {
    const d = dispatcherWith({ 'accounts.save': () => null as never });
    const r = await d.dispatch('accounts.save', { account: { vendor: 'audian', id: 'x', label: 'x' }, secrets: { '\u202Eevil\u0000"': 'x' } });
    expect(!r.ok && r.error.message).toBe('Invalid accounts.save request: secrets: Unrecognized key: "\\u202eevil\\u0000\\""');
  });

  it('lists at most five problems, then how many more', async () => {
    const d = dispatcherWith({ 'accounts.save': () => null as never });
    const r = await d.dispatch('accounts.save', {
      account: { vendor: 'livevox', id: 'BAD ID', label: '', clientName: '', userName: '', supervisorPhone: 'x', baseUrl: 'file:///etc/passwd' },
    });
    const text = !r.ok ? r.error.message : '';
    expect(text.split('; ')).toHaveLength(6);
    expect(text).toMatch(/; and \d+ more problems?$/);
    expect(text.length).toBeLessThanOrEqual(500);
  });

  it('passes typed errors through with their code and vendor message', async () => {
    const d = dispatcherWith({
      'accounts.remove': () => {
        throw new SwitchboardError('not_found', 'No such account', { vendorMessage: 'gone' });
      },
    });
    expect(await d.dispatch('accounts.remove', { id: 'x' })).toEqual({ ok: false, error: { code: 'not_found', message: 'No such account', vendorMessage: 'gone' } });
  });

  it('never leaks an unexpected error message or stack', async () => {
    const d = dispatcherWith({
      'accounts.remove': () => {
        throw new Error('ECONNREFUSED at /home/user/secret-token-abc');
      },
    });
    const r = await d.dispatch('accounts.remove', { id: 'x' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('secret-token-abc');
    expect(!r.ok && r.error.code).toBe('internal');
  });

  it('keeps delivering events when one listener throws', () => {
    const d = dispatcherWith({});
    const got: string[] = [];
    d.subscribe(() => {
      throw new Error('broken transport');
    });
    d.subscribe((name) => void got.push(name));
    d.emit('accounts.changed', []);
    expect(got).toEqual(['accounts.changed']);
  });
});
