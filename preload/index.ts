// The preload exposes the contract's two verbs and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNEL, channelFor, isRequestName, type Bridge, type EventName } from './contract.js';

const bridge: Bridge = {
  invoke: (name, input) =>
    isRequestName(name)
      ? ipcRenderer.invoke(channelFor(name), input)
      : Promise.resolve({ ok: false, error: { code: 'invalid_input', message: `Unknown request: ${String(name)}` } }),
  on: (name, listener) => {
    const fn = (_event: unknown, event: EventName, payload: unknown): void => {
      if (event === name) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, fn);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, fn);
  },
};

contextBridge.exposeInMainWorld('switchboard', bridge);
