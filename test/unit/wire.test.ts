import { describe, expect, it } from 'vitest';
import { encodeReply, parseClientFrame, parseServerFrame } from '../../main/domain/wire.js';

describe('bridge wire format', () => {
  it('a client reads an id-less refusal as such, not as the answer to a request', () => {
    const refusal = parseClientFrame('{"id":"7","name":"app.info"}');
    if (refusal.ok) throw new Error('a string id was accepted');
    expect(parseServerFrame(encodeReply(refusal.reply.id, refusal.reply.result))).toEqual({ id: null, result: { ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/"id" must be a non-negative integer, got a string/) } } });
  });

  it('a client reads replies and events, and nothing else', () => {
    expect(parseServerFrame('{"id":3,"result":{"ok":true,"value":1}}')).toEqual({ id: 3, result: { ok: true, value: 1 } });
    expect(parseServerFrame('{"event":"alerts","payload":[]}')).toEqual({ event: 'alerts', payload: [] });
    for (const junk of ['', 'nope', 'null', '[]', '{"id":3}', '{"id":"3","result":{"ok":true}}', '{"id":3,"result":null}', '{"event":5}']) {
      expect(parseServerFrame(junk), junk).toBeNull();
    }
  });

  it('an answer that cannot be encoded still answers its id', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(JSON.parse(encodeReply(9, { ok: true, value: circular }))).toEqual({ id: 9, result: { ok: false, error: { code: 'internal', message: expect.any(String) } } });
    expect(JSON.parse(encodeReply(10, { ok: true, value: 10n }))).toMatchObject({ id: 10, result: { ok: false } });
  });

  it('a request keeps its name and input for the dispatcher to judge', () => {
    expect(parseClientFrame('{"id":0,"name":{"toString":1},"input":[1]}')).toEqual({ ok: true, message: { id: 0, name: { toString: 1 }, input: [1] } });
  });
});
