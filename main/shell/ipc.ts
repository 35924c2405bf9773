// IPC registration generated from the contract: one channel per request, each checking its sender
// before the dispatcher validates the input. Typed against a minimal ipcMain so tests can drive it.
import { REQUEST_NAMES, channelFor, EVENT_CHANNEL, type Result } from '../../preload/contract.js';
import type { Dispatcher } from '../engine/dispatcher.js';
import type { FrameLike } from './security.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: FrameLike | null }, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export const FOREIGN_SENDER: Result<never> = {
  ok: false,
  error: { code: 'invalid_input', message: 'Request refused: it did not come from the Switchboard window.' },
};

export function registerIpc(
  ipc: IpcMainLike,
  dispatcher: Dispatcher,
  isTrusted: (frame: FrameLike | null) => boolean,
  target: () => WebContentsLike | null,
): () => void {
  for (const name of REQUEST_NAMES) {
    ipc.handle(channelFor(name), async (event, input) => (isTrusted(event.senderFrame) ? dispatcher.dispatch(name, input) : FOREIGN_SENDER));
  }
  const unsubscribe = dispatcher.subscribe((name, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    for (const name of REQUEST_NAMES) ipc.removeHandler(channelFor(name));
  };
}
