// A renderer stand-in on the browser bridge: sends contract requests, records every frame received.
import WebSocket from 'ws';

export interface BridgeClient {
  received: string[];
  request(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  close(): void;
}

export async function connectBridgeClient(port: number, token: string, origin = `http://127.0.0.1:${port}`): Promise<BridgeClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${token}`, { headers: { Origin: origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });
  const received: string[] = [];
  const waiting = new Map<number, (v: never) => void>();
  let next = 1;
  ws.on('message', (data) => {
    const text = data.toString();
    received.push(text);
    const msg = JSON.parse(text) as { id?: number; result?: unknown };
    if (typeof msg.id === 'number') waiting.get(msg.id)?.(msg.result as never);
  });
  return {
    received,
    request: (name, input) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (v: never) => void);
        ws.send(JSON.stringify({ id, name, input }));
      }),
    close: () => ws.close(),
  };
}
