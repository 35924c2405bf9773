// Who may talk to the browser console: only this machine, only pages it served, only with the
// per-run token. Checked on every HTTP request and WebSocket upgrade (DNS rebinding, CSRF).
import { timingSafeEqual } from 'node:crypto';

export interface GuardConfig {
  port: number;
  token: string;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];

export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_HOSTS.some((h) => host === `${h}:${port}`);
}

export function originAllowed(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  return LOOPBACK_HOSTS.some((h) => origin === `http://${h}:${port}`);
}

export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why an upgrade is refused, or null when it may proceed. */
export function refuseUpgrade(cfg: GuardConfig, headers: { host?: string; origin?: string }, url: string): string | null {
  if (!hostAllowed(headers.host, cfg.port)) return 'host not allowed';
  if (!originAllowed(headers.origin, cfg.port)) return 'origin not allowed';
  const token = new URL(url, 'http://x').searchParams.get('token');
  if (!tokenMatches(token, cfg.token)) return 'missing or wrong token';
  return null;
}

export function browserCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
