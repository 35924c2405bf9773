// A loopback HTTP receiver for the simulators' outgoing callbacks (Audian webhooks, Exotel
// StatusCallbacks): records every POST and answers as told, including not at all.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface Received {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The status every request is answered with. */
  status = 200;
  /** Never answer (a receiver that hangs). */
  hang = false;
  url = '';
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly sockets = new Set<Socket>();

  async start(): Promise<string> {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    // Hung requests would keep close() waiting for ever.
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Bodies of the JSON posts received, parsed. */
  json(): unknown[] {
    return this.received.map((r) => JSON.parse(r.body.toString('utf8')) as unknown);
  }

  /** A multipart/form-data post's fields, parsed the way any fetch-based receiver would. */
  static async formFields(r: Received): Promise<Record<string, string>> {
    const form = await new Response(new Uint8Array(r.body), { headers: { 'Content-Type': r.contentType } }).formData();
    const out: Record<string, string> = {};
    for (const [k, v] of form.entries()) out[k] = typeof v === 'string' ? v : await v.text();
    return out;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
    if (this.hang) return;
    res.writeHead(this.status);
    res.end();
  }
}

/** A loopback URL nothing listens on: a receiver that is down. */
export async function downUrl(): Promise<string> {
  const r = new WebhookReceiver();
  const url = await r.start();
  await r.stop();
  return url;
}
