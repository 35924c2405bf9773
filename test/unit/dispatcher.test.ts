import { describe, expect, it } from 'vitest';
import { Dispatcher, type Handlers } from '../../main/engine/dispatcher.js';
import { SwitchboardError } from '../../main/domain/errors.js';

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
