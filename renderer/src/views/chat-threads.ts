// Pure helpers for the Chat panel: threads from the flat message log (the engine has already dropped
// the vendor's echo of the supervisor's own messages), the contact list ordered by latest message,
// and message formatting.
import type { Agent, ChatMessage } from '../../../main/domain/model.js';

export const CHAT_MAX = 2000;

export const threadKey = (m: Pick<ChatMessage, 'accountId' | 'agentLoginId'>): string => `${m.accountId}:${m.agentLoginId}`;

/** Messages grouped by thread (agentKey), each oldest first. */
export function groupThreads(messages: readonly ChatMessage[]): Map<string, ChatMessage[]> {
  const out = new Map<string, ChatMessage[]>();
  for (const m of messages) {
    const k = threadKey(m);
    const list = out.get(k);
    if (list) list.push(m);
    else out.set(k, [m]);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

export interface Contact {
  key: string;
  accountId: string;
  loginId: string;
  name: string;
  /** null when the agent is no longer in the live list (logged off). */
  agent: Agent | null;
  last: ChatMessage | null;
  unread: number;
}

/**
 * Everyone the supervisor can chat with: live agents on chat-capable accounts plus anyone with a
 * thread on such an account. Unread first, then latest message, then name.
 */
export function buildContacts(
  agents: Iterable<Agent>,
  threads: Map<string, ChatMessage[]>,
  unread: Record<string, number>,
  canChat: (accountId: string) => boolean,
): Contact[] {
  const out = new Map<string, Contact>();
  for (const a of agents) {
    if (!canChat(a.accountId)) continue;
    out.set(a.key, { key: a.key, accountId: a.accountId, loginId: a.loginId, name: a.name, agent: a, last: null, unread: 0 });
  }
  for (const [k, list] of threads) {
    const first = list[0];
    if (!first || !canChat(first.accountId)) continue;
    const c = out.get(k) ?? { key: k, accountId: first.accountId, loginId: first.agentLoginId, name: first.agentLoginId, agent: null, last: null, unread: 0 };
    c.last = list[list.length - 1] ?? null;
    out.set(k, c);
  }
  for (const c of out.values()) c.unread = unread[c.key] ?? 0;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...out.values()].sort(
    (a, b) =>
      Number(b.unread > 0) - Number(a.unread > 0) ||
      (b.last?.at ?? 0) - (a.last?.at ?? 0) ||
      collator.compare(a.name, b.name) ||
      collator.compare(a.key, b.key),
  );
}

export function matchesContact(c: Contact, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = `${c.name}\u0000${c.loginId}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** One line of a message for the contact list: whitespace collapsed, cut at `max` characters. */
export function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** 14:05 today, "Tue 14:05" this week, else "3 Mar 14:05". */
export function shortTime(at: number, now: number): string {
  const d = new Date(at);
  const n = new Date(now);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (d.toDateString() === n.toDateString()) return hm;
  if (now - at < 6 * 86_400_000 && now >= at) return `${d.toLocaleDateString(undefined, { weekday: 'short' })} ${hm}`;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${hm}`;
}

/** What the composer may send: trimmed, 1..2000 characters (the contract's ChatText). */
export function sendable(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= CHAT_MAX;
}
