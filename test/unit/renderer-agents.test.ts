import { describe, expect, it } from 'vitest';
import type { Agent, ChatMessage } from '../../main/domain/model.js';
import type { Capability, CapabilityName } from '../../main/domain/actions.js';
import {
  availability,
  formatDuration,
  isServiceId,
  matchesFilter,
  rangeKeys,
  reasonLabel,
  refusalText,
  sortAgents,
} from '../../renderer/src/views/agent-board.js';
import { buildContacts, groupThreads, preview, sendable } from '../../renderer/src/views/chat-threads.js';

const agent = (over: Partial<Agent> & { key: string }): Agent => {
  const [accountId, loginId] = over.key.split(':') as [string, string];
  return {
    accountId,
    vendor: accountId === 'lv' ? 'livevox' : 'exotel',
    loginId,
    name: loginId,
    state: 'ready',
    reason: null,
    since: 1_000,
    currentCallKey: null,
    service: null,
    ...over,
  };
};
const msg = (over: Partial<ChatMessage> & { id: string }): ChatMessage => ({
  accountId: 'lv',
  agentLoginId: 'A1',
  fromAgent: true,
  senderId: 'A1',
  text: 'hi',
  at: 1_000,
  canReply: null,
  ...over,
});

describe('agent board helpers', () => {
  it('formats time in state', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7_900)).toBe('0:07');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5_000)).toBe('0:00');
    expect(formatDuration(null)).toBe('–');
  });

  it('labels our reason codes and keeps a vendor’s own reason as sent', () => {
    expect(reasonLabel('TECH_DIFFICULTIES')).toBe('Tech difficulties');
    expect(reasonLabel('<b>Coaching</b>')).toBe('<b>Coaching</b>');
    expect(reasonLabel(' ')).toBeNull();
  });

  it('filters by account, state and every word of the text', () => {
    const a = agent({ key: 'lv:LV_SEB', name: 'Gus Larsen', state: 'not_ready', reason: 'LUNCH', service: 'New skill' });
    expect(matchesFilter(a, { text: 'gus lunch', accountId: null, state: null }, 'Demo LiveVox')).toBe(true);
    expect(matchesFilter(a, { text: 'gus break', accountId: null, state: null }, 'Demo LiveVox')).toBe(false);
    expect(matchesFilter(a, { text: 'demo', accountId: 'lv', state: 'not_ready' }, 'Demo LiveVox')).toBe(true);
    expect(matchesFilter(a, { text: '', accountId: 'ex', state: null }, 'Demo LiveVox')).toBe(false);
    expect(matchesFilter(a, { text: '', accountId: null, state: 'ready' }, 'Demo LiveVox')).toBe(false);
  });

  it('sorts by column with a stable tie-break; unknown times last both ways', () => {
    const list = [
      agent({ key: 'lv:b', name: 'Bo', since: 3_000, state: 'on_call' }),
      agent({ key: 'lv:a', name: 'Al', since: null, state: 'ready' }),
      agent({ key: 'lv:c', name: 'Cy', since: 1_000, state: 'not_ready' }),
      agent({ key: 'lv:d', name: 'Al', since: 2_000, state: 'ready' }),
    ];
    const label = (id: string): string => id;
    expect(sortAgents(list, { column: 'name', descending: false }, label).map((a) => a.key)).toEqual(['lv:a', 'lv:d', 'lv:b', 'lv:c']);
    expect(sortAgents(list, { column: 'time', descending: false }, label).map((a) => a.key)).toEqual(['lv:c', 'lv:d', 'lv:b', 'lv:a']);
    expect(sortAgents(list, { column: 'time', descending: true }, label).map((a) => a.key)).toEqual(['lv:b', 'lv:d', 'lv:c', 'lv:a']);
    expect(sortAgents(list, { column: 'state', descending: false }, label)[0]!.key).toBe('lv:b');
  });

  it('selects shift-click ranges in the shown order', () => {
    const keys = ['a', 'b', 'c', 'd'];
    expect(rangeKeys(keys, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeKeys(keys, 'd', 'b')).toEqual(['b', 'c', 'd']);
    expect(rangeKeys(keys, 'gone', 'c')).toEqual(['c']);
    expect(rangeKeys(keys, null, 'a')).toEqual(['a']);
  });

  it('splits a selection by capability, with each refusing account’s reason once', () => {
    const caps: Record<string, Capability> = { lv: { supported: true }, ex: { supported: false, reason: 'Exotel cannot.' } };
    const cap = (id: string, _n: CapabilityName): Capability => caps[id]!;
    const av = availability([agent({ key: 'lv:1' }), agent({ key: 'ex:2' }), agent({ key: 'ex:3' })], cap, 'agent.ready', (id) => `Demo ${id}`);
    expect(av.allowed).toEqual(['lv:1']);
    expect(av.refused).toEqual([{ accountId: 'ex', label: 'Demo ex', reason: 'Exotel cannot.', count: 2 }]);
    expect(refusalText(av)).toBe('Demo ex: Exotel cannot.');
    expect(refusalText(availability([agent({ key: 'lv:1' })], cap, 'agent.ready', (id) => id))).toBeNull();
  });

  it('only sends digit service ids', () => {
    expect(isServiceId('33722')).toBe(true);
    expect(isServiceId('abc')).toBe(false);
    expect(isServiceId('')).toBe(false);
  });
});

describe('chat helpers', () => {
  it('groups threads in time order and lists contacts unread first, then latest', () => {
    const threads = groupThreads([msg({ id: '2', at: 2_000 }), msg({ id: '1', at: 1_000 }), msg({ id: '3', agentLoginId: 'B1', at: 500 })]);
    expect(threads.get('lv:A1')!.map((m) => m.id)).toEqual(['1', '2']);
    const agents = [agent({ key: 'lv:A1', name: 'Ann' }), agent({ key: 'lv:B1', name: 'Bob' }), agent({ key: 'lv:C1', name: 'Cat' }), agent({ key: 'ex:Z', name: 'Zed' })];
    const contacts = buildContacts(agents, threads, { 'lv:B1': 2 }, (id) => id === 'lv');
    expect(contacts.map((c) => [c.key, c.unread])).toEqual([
      ['lv:B1', 2],
      ['lv:A1', 0],
      ['lv:C1', 0],
    ]);
    expect(contacts[1]!.last!.id).toBe('2');
  });

  it('keeps a thread whose agent left the live list', () => {
    const contacts = buildContacts([], groupThreads([msg({ id: '1', agentLoginId: 'GONE' })]), {}, () => true);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ key: 'lv:GONE', name: 'GONE', agent: null });
  });

  it('previews one line and checks sendable text', () => {
    expect(preview('a\n\n  b', 10)).toBe('a b');
    expect(preview('x'.repeat(80), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(sendable('   ')).toBe(false);
    expect(sendable(' ok ')).toBe(true);
    expect(sendable('x'.repeat(2001))).toBe(false);
  });
});
