// Every request, from IPC or the browser bridge, comes through here: the name is checked against
// the contract, the input parsed with its schema, and only then does a handler run. Whatever a
// handler throws leaves as a typed error value, never a stack. dispatch never throws or rejects,
// whatever name and input it is given: a host can hand it any frame it received.
import {
  requests,
  isRequestName,
  type EventName,
  type EventPayload,
  type ParsedInput,
  type RequestName,
  type RequestOutput,
  type Result,
} from '../../preload/contract.js';
import { toErrorInfo } from '../domain/errors.js';
import { invalidInputMessage, unknownRequestMessage, unreadableInputMessage } from './invalid-input-message.js';

export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>) => Promise<RequestOutput<K>> | RequestOutput<K>;
};

export type EventListener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export class Dispatcher {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly handlers: Handlers) {}

  async dispatch(name: unknown, rawInput: unknown): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'invalid_input', message: unknownRequestMessage(name) } };
    }
    let parsed;
    try {
      parsed = requests[name].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return { ok: false, error: { code: 'invalid_input', message: invalidInputMessage(name, parsed.error.issues) } };
      }
    } catch {
      // safeParse reports what it can read; what it cannot (a stack overflow) throws.
      return { ok: false, error: { code: 'invalid_input', message: unreadableInputMessage(name) } };
    }
    try {
      const handler = this.handlers[name] as (input: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // One broken transport must not stop events reaching the others.
      }
    }
  }
}
