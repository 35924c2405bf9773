// The agent board's state (filters, selection, bulk actions and their results, service lists, a
// notification's focus) over the store and a stand-in bridge, on Svelte's browser runtime.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppState } from '../../renderer/src/lib/app-state.svelte.js';
import { BoardState } from '../../renderer/src/views/board-state.svelte.js';
import { accountView, agent, failed, fakeBridge, ok } from '../helpers/renderer-bridge.js';

const EXOTEL_NO_LOGOFF = 'Exotel has no API to log an agent off.';

async function board(): Promise<{ board: BoardState; app: AppState; fake: ReturnType<typeof fakeBridge> }> {
  const fake = fakeBridge();
  fake.answer('snapshot.get', () =>
    ok({
      accounts: [
        accountView('lv', { label: 'Main LiveVox' }),
        accountView('lv2', { label: 'Second LiveVox' }),
        accountView('ex', { label: 'Exotel', refuse: { 'agent.logoff': EXOTEL_NO_LOGOFF, 'agent.switchService': 'No services.', 'services.list': 'No services.' } }),
      ],
      calls: [],
      agents: [
        agent('lv:A1', { name: 'Ana Berg' }),
        agent('lv:A2', { name: 'Bo Chen', state: 'not_ready', reason: 'LUNCH' }),
        agent('lv:A3', { name: 'Cy Dahl' }),
        agent('lv2:C1', { name: 'Di Eng' }),
        agent('ex:B1', { name: 'Ed Falk', vendor: 'exotel' }),
      ],
    }),
  );
  const app = new AppState(fake.bridge);
  await app.refresh();
  return { board: new BoardState(app), app, fake };
}

afterEach(() => void vi.useRealTimers());

describe('the agent board state', () => {
  it('filters and sorts what it shows, and says when a filter is on', async () => {
    const { board: b } = await board();
    expect(b.shownKeys).toEqual(['lv:A1', 'lv:A2', 'lv:A3', 'lv2:C1', 'ex:B1']);
    b.setSort('name');
    expect(b.shownKeys[0]).toBe('ex:B1');
    b.text = 'lunch';
    expect(b.shownKeys).toEqual(['lv:A2']);
    expect(b.filtering).toBe(true);
    b.clearFilters();
    b.accountFilter = 'lv2';
    expect(b.shownKeys).toEqual(['lv2:C1']);
    b.clearFilters();
    expect([b.filtering, b.visible.length]).toEqual([false, 5]);
  });

  it('counts chosen agents a filter hides, and the "all" box speaks of the shown ones', async () => {
    const { board: b } = await board();
    b.selection.toggle('lv:A1');
    b.selection.toggle('lv:A3', true);
    expect(b.selected.map((a) => a.key)).toEqual(['lv:A1', 'lv:A2', 'lv:A3']);
    b.text = 'Cy';
    expect([b.hiddenSelected, b.selection.allShown]).toEqual([2, true]);
    b.text = 'Ed';
    expect([b.hiddenSelected, b.selection.allShown, b.selection.someShown]).toEqual([3, false, false]);
  });

  it('sends an action only for agents whose account can take it; the others are listed as not sent with the reason', async () => {
    const { board: b, fake } = await board();
    fake.answer('agents.action', ({ agentKeys }) => ok(agentKeys.map((agentKey) => ({ agentKey, ok: true, detail: 'Logged off', code: null }))));
    b.selection.replace(['lv:A1', 'ex:B1']);
    expect(b.canLogoff.allowed).toEqual(['lv:A1']);
    expect(b.refusals).toEqual([{ label: 'Exotel', count: 1, text: `${EXOTEL_NO_LOGOFF} No services.` }]);
    await b.logoff('  Shift is over  ');
    expect(fake.sent.at(-1)).toEqual({ name: 'agents.action', input: { agentKeys: ['lv:A1'], action: { type: 'logoff', message: 'Shift is over' } } });
    expect(b.last?.label).toBe('Log off');
    expect(b.last?.results.map((r) => [r.name, r.ok, r.skipped, r.detail])).toEqual([
      ['Ana Berg', true, false, 'Logged off'],
      ['Ed Falk', false, true, EXOTEL_NO_LOGOFF],
    ]);
    expect(b.summary).toBe('1 done · 1 not sent');
    expect(b.busy).toBeNull();
  });

  it('lets the failed agents be chosen again, runs one action at a time, and keeps the last results when a request fails', async () => {
    const { board: b, fake } = await board();
    fake.answer('agents.action', ({ agentKeys }) => ok(agentKeys.map((agentKey) => ({ agentKey, ok: agentKey !== 'lv:A2', detail: agentKey === 'lv:A2' ? 'Agent is on a call' : 'Ready', code: null }))));
    b.selection.replace(['lv:A1', 'lv:A2', 'lv:A3']);
    const first = b.setReady();
    expect(b.busy).toBe('Ready');
    await b.setNotReady();
    await first;
    expect(fake.sent.filter((r) => r.name === 'agents.action')).toHaveLength(1);
    expect(b.summary).toBe('2 done · 1 failed');
    expect(b.resultByKey.get('lv:A2')?.detail).toBe('Agent is on a call');
    b.selectFailed();
    expect([...b.selection.keys]).toEqual(['lv:A2']);

    fake.answer('agents.action', () => failed('The vendor did not answer'));
    b.reason = 'TRAINING';
    await b.setNotReady();
    expect(fake.sent.at(-1)?.input).toEqual({ agentKeys: ['lv:A2'], action: { type: 'notReady', reason: 'TRAINING' } });
    expect(b.last?.label).toBe('Ready');
    expect(b.busy).toBeNull();
    b.closeResults();
    expect(b.last).toBeNull();
  });

  it('fetches each account’s services once, offers only sendable ids, and switches within one account', async () => {
    const { board: b, fake } = await board();
    fake.answer('services.list', ({ accountId }) =>
      ok([
        { accountId, id: '101', name: `${accountId} inbound`, callCenterId: null, callCenterName: null },
        { accountId, id: 'not-an-id', name: 'Broken', callCenterId: null, callCenterName: null },
      ]),
    );
    fake.answer('agents.action', ({ agentKeys }) => ok(agentKeys.map((agentKey) => ({ agentKey, ok: true, detail: 'Switched', code: null }))));
    b.loadServices();
    b.loadServices();
    expect(fake.sent.filter((r) => r.name === 'services.list').map((r) => r.input)).toEqual([{ accountId: 'lv' }, { accountId: 'lv2' }]);
    await vi.waitFor(() => expect(b.serviceName('lv', '101')).toBe('lv inbound'));
    expect(b.serviceName('ex', '7')).toBe('7');

    b.selection.replace(['lv:A1', 'lv2:C1']);
    expect([b.switchAccount, b.switchAccounts, b.serviceChoices]).toEqual([null, 2, []]);
    b.selection.replace(['lv:A1', 'ex:B1']);
    expect(b.switchAccount).toBe('lv');
    expect(b.serviceChoices.map((s) => s.id)).toEqual(['101']);
    b.serviceId = '101';
    await b.switchService();
    expect(fake.sent.at(-1)?.input).toEqual({ agentKeys: ['lv:A1'], action: { type: 'switchService', serviceId: '101' } });
    expect(b.last?.label).toBe('Switch to lv inbound');

    // The chosen service is let go once the selection no longer offers it.
    b.selection.replace(['ex:B1']);
    b.keepServiceChoice();
    expect(b.serviceId).toBe('');
  });

  it('a notification’s agent is shown even through a filter, chosen alone and highlighted for a moment', async () => {
    vi.useFakeTimers();
    const { board: b } = await board();
    b.text = 'Ana';
    b.selection.replace(['lv:A1']);
    b.focus('lv:A3');
    expect([b.text, [...b.selection.keys], b.flash]).toEqual(['', ['lv:A3'], 'lv:A3']);
    vi.advanceTimersByTime(2_500);
    expect(b.flash).toBeNull();
    // A filter that already shows the agent stays.
    b.text = 'Cy';
    b.focus('lv:A3');
    expect(b.text).toBe('Cy');
  });
});
