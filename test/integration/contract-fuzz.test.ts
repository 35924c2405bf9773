// Every contract request fed generated payloads through the real dispatcher and validation: the
// answer is always a result value (ok, or an error with a stable code), never a throw, and a
// malformed payload is always invalid_input before any handler runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, REQUEST_NAMES, requests } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 6, agents: 8 });
});
afterAll(() => h.stop());

// Nasty strings: markup, control characters, huge, unicode, prototype keys.
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom('<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '\u0000\u0007\u001b[31m', '__proto__', 'constructor', '../../etc/passwd', '+'.repeat(5000), '💥'.repeat(300)),
  fc.string({ minLength: 3000, maxLength: 20_000 }),
);
const anything = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'callKey', 'agentKeys', 'action', 'type', 'account', 'secrets')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

// Requests that change or reach the outside world are fuzzed with payloads that must fail validation,
// so the fuzz run never removes the harness's accounts or leaves the demo.
const SIDE_EFFECTS = new Set(['accounts.save', 'accounts.remove', 'demo.set', 'vault.allowPlaintext', 'settings.update', 'onboarding.welcomed', 'notifications.setDoNotDisturb']);

describe('contract fuzz', () => {
  it.each(REQUEST_NAMES)('%s: any payload gives a typed result, never a throw', async (name) => {
    await fc.assert(
      fc.asyncProperty(anything, async (input) => {
        // A missing payload (null or undefined) is read as {}, as IPC sends for argument-less requests.
        const valid = requests[name].input.safeParse(input ?? {}).success;
        if (valid && SIDE_EFFECTS.has(name)) return;
        let result: Awaited<ReturnType<Harness['request']>>;
        try {
          result = await h.request(name, input);
        } catch (err) {
          throw new Error(`${name} threw for ${JSON.stringify(input)?.slice(0, 200)}: ${String(err)}`);
        }
        if (!valid) {
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        } else if (!result.ok) {
          expect(ERROR_CODES).toContain(result.error!.code);
          expect(result.error!.message).not.toMatch(/\n\s+at /); // never a stack
        }
      }),
      { numRuns: 60 },
    );
  });

  it('unknown request names and prototype keys are refused as invalid_input', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'calls.monitor ', '', 42]) {
      expect(await h.app.core.dispatcher.dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('bad phone numbers never reach a vendor', async () => {
    const call = h.app.core.engine.calls()[0];
    await h.app.core.engine.runtime(h.centre.byVendor('audian').config.id)!.pollCalls();
    const audianCall = h.app.core.engine.calls().find((c) => c.vendor === 'audian')!;
    const sim = h.centre.byVendor('audian').sim.server;
    sim.clearLog();
    for (const destination of ['12ab', '+', '', '123456789012345678', '<b>1</b>', '+1 415 555', '\u0000123']) {
      const r = await h.request('calls.action', { callKey: (audianCall ?? call)!.key, action: { type: 'transfer', destination, mode: 'blind' } });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(sim.log).toHaveLength(0);
  });
});
