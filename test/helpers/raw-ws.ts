// A WebSocket client written by hand over a raw TCP socket, for what a well-behaved library will
// not send: unmasked frames, invalid UTF-8, oversized or reserved frames, resets mid-frame.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawSocket {
  socket: net.Socket;
  /** Bytes the host sent after its 101 answer (frames). */
  received(): Buffer;
  /** Resolves when the host ends the connection. */
  closed: Promise<void>;
}

/** Opens a TCP connection and sends `request` (an HTTP request head) as is. */
export function rawConnect(port: number, request: string | Buffer): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(request);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export function upgradeHead(port: number, pathAndQuery: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Origin: `http://127.0.0.1:${port}`,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...headers,
  };
  return `GET ${pathAndQuery} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** Completes a WebSocket handshake by hand; rejects unless the host answers 101. */
export async function rawWebSocket(port: number, token: string): Promise<RawSocket> {
  const socket = await rawConnect(port, upgradeHead(port, `/bridge?token=${token}`));
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (upgraded) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      buf = buf.subarray(end + 4);
      upgraded = true;
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    });
    socket.once('close', () => reject(new Error('closed during the handshake')));
  });
  return { socket, received: () => buf, closed };
}

export interface FrameOptions {
  opcode?: number;
  mask?: boolean;
  fin?: boolean;
  rsv?: number;
  /** Declared payload length, when it should differ from the bytes sent. */
  declaredLength?: number;
}

/** One client frame, masked unless told otherwise (RFC 6455 §5.2). */
export function encodeFrame(payload: Buffer | string, opts: FrameOptions = {}): Buffer {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const { opcode = 0x1, mask = true, fin = true, rsv = 0 } = opts;
  const length = opts.declaredLength ?? data.length;
  const head: number[] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(maskBit | 127, ...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** The host's frames in `buf` (never masked), as far as they are complete. */
export function decodeFrames(buf: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= buf.length) {
    const opcode = buf[at]! & 0x0f;
    let len = buf[at + 1]! & 0x7f;
    let start = at + 2;
    if (len === 126) {
      if (start + 2 > buf.length) break;
      len = buf.readUInt16BE(start);
      start += 2;
    } else if (len === 127) {
      if (start + 8 > buf.length) break;
      len = Number(buf.readBigUInt64BE(start));
      start += 8;
    }
    if (start + len > buf.length) break;
    frames.push({ opcode, payload: buf.subarray(start, start + len) });
    at = start + len;
  }
  return frames;
}

/** The close code the host sent, once it has closed the connection; null if it sent none. */
export async function closeCode(raw: RawSocket): Promise<number | null> {
  await raw.closed;
  const close = decodeFrames(raw.received()).find((f) => f.opcode === 0x8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
}
