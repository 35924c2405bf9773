// The bridge's wire format, shared by every host that speaks the contract over a socket (the
// browser console today, the hub later) and by the renderer's client. Pure: no Node, no DOM.
//
// Client → host: `{id, name, input}` with `id` a non-negative safe integer the client chose.
// Host → client: `{id, result}` answering that id, or `{event, payload}`.
// Rule for a frame that cannot be answered by id (not JSON, not an object, no usable id): the host
// replies `{id: null, result: {ok: false, error: {code: 'invalid_input', message}}}`, so a client
// never waits on silence; a client ignores an `id: null` reply for its pending requests.
import type { Result } from '../../preload/contract.js';

export type ClientMessage = { id: number; name: unknown; input: unknown };
export type ReplyMessage = { id: number | null; result: Result<unknown> };
export type EventMessage = { event: string; payload: unknown };
export type ServerMessage = ReplyMessage | EventMessage;

/** What a host makes of one frame: a request to dispatch, or the error to send back at once. */
export type ClientFrame = { ok: true; message: ClientMessage } | { ok: false; reply: ReplyMessage };

/** The kind of a value, never its content, for messages that must not echo a payload. */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isRequestId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

const invalid = (id: number | null, message: string): ClientFrame => ({
  ok: false,
  reply: { id, result: { ok: false, error: { code: 'invalid_input', message } } },
});

/**
 * Reads one text frame from a client. Only the envelope is checked here; the name and input are
 * the dispatcher's to validate, so every host refuses them in the same words.
 */
export function parseClientFrame(text: string): ClientFrame {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return invalid(null, 'Frame refused: it is not JSON. Send {"id": <number>, "name": <request>, "input": {…}}.');
  }
  if (!isRecord(data)) {
    return invalid(null, `Frame refused: expected a JSON object {"id", "name", "input"}, got ${kindOf(data)}.`);
  }
  if (!isRequestId(data.id)) {
    return invalid(null, `Frame refused: "id" must be a non-negative integer, got ${kindOf(data.id)}.`);
  }
  return { ok: true, message: { id: data.id, name: data.name, input: data.input } };
}

/** A frame the host cannot read as text (binary): refused without looking inside. */
export function binaryFrameReply(): ReplyMessage {
  return { id: null, result: { ok: false, error: { code: 'invalid_input', message: 'Frame refused: binary frames are not part of the protocol; send JSON text.' } } };
}

/** A reply as text. A result that cannot be encoded still gets an answer, so no request hangs. */
export function encodeReply(id: number | null, result: Result<unknown>): string {
  try {
    return JSON.stringify({ id, result } satisfies ReplyMessage);
  } catch {
    const error = { code: 'internal', message: 'Something went wrong inside Switchboard; the answer could not be sent.' } as const;
    return JSON.stringify({ id, result: { ok: false, error } } satisfies ReplyMessage);
  }
}

export function encodeEvent(event: string, payload: unknown): string {
  return JSON.stringify({ event, payload } satisfies EventMessage);
}

/** What a client makes of one frame from the host; null for a frame it cannot read. */
export function parseServerFrame(text: string): ServerMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  if ('result' in data && (data.id === null || isRequestId(data.id)) && isRecord(data.result) && typeof data.result.ok === 'boolean') {
    return { id: data.id, result: data.result as Result<unknown> };
  }
  if (typeof data.event === 'string') return { event: data.event, payload: data.payload };
  return null;
}
