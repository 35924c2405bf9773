// The renderer uses the preload bridge in Electron, else the browser console's WebSocket bridge.
import type { Bridge } from '../../../preload/contract.js';
import { createWsBridge, readToken } from './ws-bridge.js';

declare global {
  interface Window {
    switchboard?: Bridge;
  }
}

export interface AppBridge {
  bridge: Bridge;
  kind: 'electron' | 'browser';
  onConnection(listener: (connected: boolean) => void): () => void;
}

export function connectBridge(): AppBridge | { error: string } {
  if (window.switchboard) {
    const bridge = window.switchboard;
    return {
      bridge,
      kind: 'electron',
      onConnection: (l) => {
        l(true);
        return () => undefined;
      },
    };
  }
  const token = readToken();
  if (!token) return { error: 'This page needs the link printed by `npm run start:browser` (it carries a one-time token).' };
  const ws = createWsBridge(token);
  return { bridge: ws, kind: 'browser', onConnection: (l) => ws.onConnection(l) };
}
