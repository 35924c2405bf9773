// Where a host meets its WebSocket clients, once for every host (the browser console today, the
// hub later; no Electron here). Whatever a client sends, the process keeps running: every socket
// has an error listener, frames are size-capped, each frame gets an answer (a bad one an
// invalid_input reply, see main/domain/wire.ts), and a client that stops reading is cut off
// instead of having events buffered for it without end. Who may connect is the host's call,
// made before upgrade().
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Result } from '../../preload/contract.js';
import { toErrorInfo } from '../domain/errors.js';
import type { Dispatcher } from './dispatcher.js';
import { binaryFrameReply, encodeEvent, encodeReply, parseClientFrame, type ClientMessage } from '../domain/wire.js';

export interface BridgeLimits {
  /** Largest frame a client may send; past it the connection is closed with 1009. */
  maxFrameBytes: number;
  /** Unsent bytes a client may owe before it counts as not reading and is cut off. */
  maxBufferedBytes: number;
  /** Requests one client may have running; past it the host stops reading its socket until one ends. */
  maxInFlight: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  // Far above any contract request: an account with its secrets is a few kB.
  maxFrameBytes: 1024 * 1024,
  // Room for a full snapshot (8,750 calls and 3,750 agents encode to 4.5 MB) plus a burst of
  // events, so only a client that has stopped reading reaches it.
  maxBufferedBytes: 32 * 1024 * 1024,
  maxInFlight: 64,
};

/** Why a client was disconnected by the host rather than by itself. */
export interface BridgeDrop {
  why: 'not_reading' | 'protocol_error';
  detail: string;
}

export interface BridgeHostOptions {
  limits?: Partial<BridgeLimits>;
  onDrop?: (drop: BridgeDrop) => void;
}

const ignore = (): void => undefined;

export class BridgeHost {
  readonly limits: BridgeLimits;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly opts: BridgeHostOptions = {},
  ) {
    this.limits = { ...DEFAULT_BRIDGE_LIMITS, ...opts.limits };
    // No compression: a small compressed frame could inflate far past the frame cap's intent.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes, perMessageDeflate: false });
    this.unsubscribe = dispatcher.subscribe((event, payload) => {
      const frame = encodeEvent(event, payload);
      for (const ws of this.clients) this.send(ws, frame);
    });
  }

  /** Takes over an upgrade the host has authorised. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  close(): void {
    this.unsubscribe();
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    this.clients.add(ws);
    let inFlight = 0;
    let paused = false;
    // ws closes the connection itself with the matching code (1002 unmasked, 1007 bad UTF-8, 1009
    // too big); without this listener its 'error' event would throw and end the process.
    ws.on('error', (err) => this.opts.onDrop?.({ why: 'protocol_error', detail: err.message }));
    ws.on('close', () => this.clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      try {
        const frame = isBinary ? ({ ok: false, reply: binaryFrameReply() } as const) : parseClientFrame(text(data));
        if (!frame.ok) {
          this.send(ws, encodeReply(frame.reply.id, frame.reply.result));
          return;
        }
        if (++inFlight >= this.limits.maxInFlight && !paused) {
          paused = true;
          ws.pause();
        }
        void this.answer(ws, frame.message)
          .finally(() => {
            if (--inFlight < this.limits.maxInFlight && paused) {
              paused = false;
              ws.resume();
            }
          })
          .catch(ignore);
      } catch {
        // Nothing above should throw; if it ever does, this client goes, the host stays.
        this.clients.delete(ws);
        ws.terminate();
        this.opts.onDrop?.({ why: 'protocol_error', detail: 'a frame could not be handled' });
      }
    });
  }

  private async answer(ws: WebSocket, { id, name, input }: ClientMessage): Promise<void> {
    let result: Result<unknown>;
    try {
      result = await this.dispatcher.dispatch(name, input);
    } catch (err) {
      result = { ok: false, error: toErrorInfo(err) }; // dispatch never rejects; the host does not rely on it
    }
    this.send(ws, encodeReply(id, result));
  }

  private send(ws: WebSocket, frame: string): void {
    if (ws.readyState !== ws.OPEN) return;
    // bufferedAmount counts what ws and the socket still hold for this client. Past the limit the
    // client is not reading: dropping single events would leave it with a wrong picture, so the
    // connection goes (a reconnecting client starts from a fresh snapshot). No close frame could
    // reach it behind the backlog, so the socket is destroyed and its memory freed at once.
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      const owed = ws.bufferedAmount;
      this.clients.delete(ws);
      ws.terminate();
      this.opts.onDrop?.({ why: 'not_reading', detail: `${owed} bytes unsent` });
      return;
    }
    ws.send(frame);
  }
}

/** Refuses an upgrade with an HTTP status on a socket the client may already have reset. */
export function refuseUpgradeSocket(socket: Duplex, status: 400 | 403 | 404, reason: string): void {
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = Buffer.from(reason);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${reason}`,
  );
}

const STATUS_TEXT = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' } as const;

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}
