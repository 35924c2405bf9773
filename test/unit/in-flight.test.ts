import { describe, expect, it } from 'vitest';
import { callLane, InFlight, PHONE_LANE, stableJson, type Intent } from '../../main/engine/in-flight.js';
import { SwitchboardError } from '../../main/domain/errors.js';

/** A promise the test settles by hand, so "in flight" lasts exactly as long as the test wants. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const barge = (call: string): Intent => ({ lanes: [callLane(call), PHONE_LANE], key: `monitor.barge ${call}`, label: 'barge' });
const hold = (call: string): Intent => ({ lanes: [callLane(call)], key: `call ${call} {"type":"hold"}`, label: 'hold' });

describe('in-flight guard', () => {
  it('an identical request joins the one in flight: started once, both get its result', async () => {
    const g = new InFlight();
    const d = deferred<string>();
    let starts = 0;
    const start = () => {
      starts += 1;
      return d.promise;
    };
    const first = g.run(barge('a:1'), start);
    const second = g.run(barge('a:1'), start);
    expect(starts).toBe(1);
    d.resolve('joined');
    expect(await Promise.all([first, second])).toEqual(['joined', 'joined']);
  });

  it('a joined request shares a failure too', async () => {
    const g = new InFlight();
    const d = deferred<string>();
    const first = g.run(hold('a:1'), () => d.promise);
    const second = g.run(hold('a:1'), () => Promise.resolve('never'));
    d.reject(new SwitchboardError('outcome_unknown', 'no answer'));
    await expect(first).rejects.toMatchObject({ code: 'outcome_unknown' });
    await expect(second).rejects.toMatchObject({ code: 'outcome_unknown' });
  });

  it('refuses another action on a busy lane, naming what it waits for, without starting it', async () => {
    const g = new InFlight();
    const d = deferred<void>();
    void g.run(barge('a:1'), () => d.promise);
    let started = false;
    const refused = g.run(hold('a:1'), async () => void (started = true));
    await expect(refused).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringContaining('“barge” on this call') });
    // The phone lane: monitoring another call waits for this one.
    await expect(g.run(barge('a:2'), async () => void (started = true))).rejects.toThrow(/one call at a time/);
    expect(started).toBe(false);
    d.resolve();
  });

  it('the same verb with other parameters is another request, not a join', async () => {
    const g = new InFlight();
    const d = deferred<void>();
    void g.run({ lanes: [callLane('a:1')], key: 'transfer to 1', label: 'blind transfer' }, () => d.promise);
    await expect(g.run({ lanes: [callLane('a:1')], key: 'transfer to 2', label: 'blind transfer' }, async () => undefined)).rejects.toMatchObject({ code: 'invalid_state' });
    d.resolve();
  });

  it('frees every lane once the action settles, either way, and not before', async () => {
    const g = new InFlight();
    const ok = deferred<void>();
    void g.run(barge('a:1'), () => ok.promise);
    expect(g.size).toBe(2);
    ok.resolve();
    await ok.promise;
    await Promise.resolve();
    expect(g.size).toBe(0);
    const bad = deferred<void>();
    const failing = g.run(hold('a:1'), () => bad.promise);
    bad.reject(new Error('boom'));
    await expect(failing).rejects.toThrow('boom');
    await Promise.resolve();
    expect(g.size).toBe(0);
    // A new action on the call starts afresh.
    expect(await g.run(hold('a:1'), async () => 'again')).toBe('again');
  });

  it('actions on different calls and lanes run side by side', async () => {
    const g = new InFlight();
    const d = deferred<void>();
    void g.run(hold('a:1'), () => d.promise);
    expect(await g.run(hold('a:2'), async () => 'other call')).toBe('other call');
    d.resolve();
  });
});

describe('stableJson', () => {
  it('is the same for the same parameters in any key order, and differs when a value does', () => {
    expect(stableJson({ type: 'transfer', mode: 'blind', destination: '+1415' })).toBe(stableJson({ destination: '+1415', mode: 'blind', type: 'transfer' }));
    expect(stableJson({ a: [1, { c: 2, b: 3 }], d: undefined })).toBe('{"a":[1,{"b":3,"c":2}]}');
    expect(stableJson({ type: 'dtmf.send', digits: '12' })).not.toBe(stableJson({ type: 'dtmf.send', digits: '21' }));
    expect(stableJson('hello "you"')).toBe('"hello \\"you\\""');
  });
});
