import type { Vendor } from '../../../main/domain/model.js';

// Small display helpers shared by the views.

/** 0:07, 12:03, 1:02:33 */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "4 s ago", "3 min ago", "never" */
export function age(at: number | null, now: number): string {
  if (at === null) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const VENDOR_NAMES: Record<Vendor, string> = {
  'engage-voice': 'Engage Voice',
  exotel: 'Exotel',
  audian: 'Audian',
  livevox: 'LiveVox',
};

export const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  ringing: 'Ringing',
  in_progress: 'Talking',
  on_hold: 'On hold',
  wrap_up: 'Wrap-up',
  ended: 'Ended',
  unknown: 'Unknown',
};

/** The same rule the contract enforces, checked before sending so the form can say what is wrong. */
export const PHONE_PATTERN = /^\+?[0-9]{3,15}$/;
