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
