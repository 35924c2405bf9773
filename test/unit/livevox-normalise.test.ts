import { describe, expect, it } from 'vitest';
import { callKey, type Call } from '../../main/domain/model.js';
import {
  AGENT_STATE_BY_ID,
  agentStatusResults,
  broadcastResults,
  loginIdOfCall,
  normaliseChat,
  normaliseRealtime,
  normaliseServices,
  outcomeOk,
  startedAudioPath,
  switchServiceResults,
} from '../../main/vendors/livevox/normalise.js';
import type { RealtimeAgent } from '../../main/vendors/livevox/types.js';

const ACC = 'lv1';
const T = 1416817899000;

function one(a: RealtimeAgent) {
  return normaliseRealtime(ACC, { agentDetails: [a] });
}

describe('realtime agents', () => {
  it.each([
    [1, 'not_ready'],
    [2, 'ready'],
    [3, 'not_ready'],
    [4, 'on_call'],
    [5, 'wrap_up'],
    ['2', 'ready'],
    [9, 'unknown'],
    ['busy', 'unknown'],
    [null, 'unknown'],
  ] as const)('stateId %s is %s', (stateId, state) => {
    expect(one({ agentLoginId: 'A', stateId }).agents[0]!.state).toBe(state);
  });

  it('keeps the state table the single source of the numbers', () => {
    expect(Object.keys(AGENT_STATE_BY_ID).sort()).toEqual(['1', '2', '3', '4', '5']);
  });

  it('drops rows without a login id and lists an agent under two services once', () => {
    const { agents } = normaliseRealtime(ACC, {
      agentDetails: [{ stateId: 2 }, { agentLoginId: '  ', stateId: 2 }, { agentLoginId: 'A', stateId: 2, serviceId: 1 }, { agentLoginId: 'A', stateId: 3, serviceId: 2 }],
    });
    expect(agents.map((a) => [a.loginId, a.state, a.service])).toEqual([['A', 'ready', '1']]);
  });

  it('builds names, reasons, since and service from the optional fields, falling back to the login id', () => {
    const [full] = one({ agentLoginId: 'A', stateId: 3, firstName: 'Ana', lastName: 'Silva', notReadyReasonCode: 'LUNCH', stateChangeTime: String(T), serviceName: 'Sales', serviceId: 7 }).agents;
    expect(full).toMatchObject({ key: 'lv1:A', name: 'Ana Silva', reason: 'LUNCH', since: T, service: 'Sales', vendor: 'livevox' });
    const [bare] = one({ agentLoginId: 'B', stateId: 1 }).agents;
    expect(bare).toMatchObject({ name: 'B', reason: 'Logged on, not yet ready', since: null, service: null });
    const [ready] = one({ agentLoginId: 'C', stateId: 2, notReadyReasonCode: 'LUNCH' }).agents;
    expect(ready!.reason).toBeNull();
  });

  it('derives a call from an agent in call, keyed by the call id when the feed has one', () => {
    const { agents, calls } = one({ agentLoginId: 'A', stateId: 4, phoneNumber: '+16505317524', callStartTime: String(T), callSessionId: 'C9', serviceName: 'Sales' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ key: callKey(ACC, 'C9'), vendorCallId: 'C9', status: 'in_progress', direction: 'unknown', from: '+16505317524', startedAt: T, agentKey: 'lv1:A', queue: 'Sales', legs: null, sessions: [] });
    expect(agents[0]!.currentCallKey).toBe(calls[0]!.key);
  });

  it('keys a call by agent and start when there is no call id, and by agent alone when there is no time either', () => {
    expect(one({ agentLoginId: 'A', stateId: 4, stateChangeTime: String(T) }).calls[0]!.vendorCallId).toBe(`A@${T}`);
    const bare = one({ agentLoginId: 'A', stateId: 4 }).calls[0]!;
    expect(bare.vendorCallId).toBe('A');
    expect(bare.from).toBeNull();
  });

  it('derives no call for agents not in call', () => {
    expect(normaliseRealtime(ACC, { agentDetails: [{ agentLoginId: 'A', stateId: 5 }, { agentLoginId: 'B', stateId: 2 }] }).calls).toEqual([]);
  });

  it('finds the agent of a derived call, and none for a call of another account', () => {
    const call = one({ agentLoginId: 'LV:TEST', stateId: 4 }).calls[0]!;
    expect(loginIdOfCall(call)).toBe('LV:TEST');
    expect(loginIdOfCall({ ...call, agentKey: 'other:LV_TEST' } as Call)).toBeNull();
    expect(loginIdOfCall({ ...call, agentKey: null } as Call)).toBeNull();
  });
});

describe('per-agent results', () => {
  it.each([
    ['Success', true],
    ['Successfully logged off.', true],
    ['successful', true],
    ['queued', true],
    ['Completed: Success', true],
    ['failed', false],
    ['Failed: agent is not logged in', false],
    ['Agent not found', false],
    ['Unsuccessful', false],
    ['', false],
  ])('"%s" is ok=%s', (text, ok) => {
    expect(outcomeOk(text)).toBe(ok);
  });

  it('answers for every agent asked, in order, failing the ones the vendor left out', () => {
    const r = agentStatusResults(['A', 'B'], { agents: [{ agentLoginId: 'B', status: 'Success' }, { agentLoginId: 'Z', status: 'Success' }] });
    expect(r).toEqual([
      { loginId: 'A', ok: false, detail: 'LiveVox returned no result for this agent.' },
      { loginId: 'B', ok: true, detail: 'Success' },
    ]);
  });

  it('attributes a lone result without an id to a lone request', () => {
    expect(agentStatusResults(['A'], { agents: [{ status: 'Success' }] })).toEqual([{ loginId: 'A', ok: true, detail: 'Success' }]);
    expect(agentStatusResults(['A', 'B'], { agents: [{ status: 'Success' }] }).every((r) => !r.ok)).toBe(true);
  });

  it('reads switch results in both vocabularies', () => {
    const r = switchServiceResults(['A', 'B', 'C', 'D'], {
      agents: [
        { agentLoginId: 'A', message: 'Completed: Success' },
        { agentLoginId: 'B', message: 'successful' },
        { agentLoginId: 'C', message: 'queued' },
        { agentLoginId: 'D', message: 'failed' },
      ],
    });
    expect(r.map((x) => [x.ok, x.detail])).toEqual([
      [true, 'Completed: Success'],
      [true, 'successful'],
      [true, 'queued'],
      [false, 'failed'],
    ]);
  });

  it('reads broadcast status under usersLoginId (example) and userLoginId (table)', () => {
    const r = broadcastResults(['a', 'b', 'c'], {
      broadcastStatus: [
        { usersLoginId: 'a', sent: true },
        { userLoginId: 'b', sent: false },
        { userLoginId: 'c', sent: null },
      ],
    });
    expect(r.map((x) => [x.loginId, x.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });
});

describe('chat', () => {
  it('reads the example: epoch-ms strings, canReply on the chat, the supervisor as sender', () => {
    const { messages, latestMs } = normaliseChat(
      ACC,
      {
        chatList: [
          {
            messageList: [
              { message: 'Lunch with team', senderId: 'SEBYSA', timestamp: '1416817899000' },
              { message: 'I am free ', senderId: 'lv_usr1', timestamp: '1416817899001' },
            ],
            userLoginId: 'lv_usr1',
            canReply: false,
          },
        ],
        timestamp: '1416817899000',
      },
      ['sebysa'],
      0,
    );
    expect(messages.map((m) => [m.agentLoginId, m.fromAgent, m.text, m.at, m.canReply])).toEqual([
      ['lv_usr1', false, 'Lunch with team', T, false],
      ['lv_usr1', true, 'I am free ', T + 1, false],
    ]);
    expect(latestMs).toBe(T + 1);
  });

  it('prefers canReply on the message (table) over the chat (example)', () => {
    const { messages } = normaliseChat(ACC, { chatList: [{ userLoginId: 'a', canReply: false, messageList: [{ message: 'x', senderId: 'a', timestamp: T, canReply: true }] }] }, [], 0);
    expect(messages[0]!.canReply).toBe(true);
    const none = normaliseChat(ACC, { chatList: [{ userLoginId: 'a', messageList: [{ message: 'x', senderId: 'a', timestamp: T }] }] }, [], 0);
    expect(none.messages[0]!.canReply).toBeNull();
  });

  it('reads "dateTime" as ISO too, and falls back to the list timestamp, then to now', () => {
    const res = normaliseChat(
      ACC,
      {
        chatList: [
          {
            userLoginId: 'a',
            messageList: [
              { message: 'iso', senderId: 'a', timestamp: '2014-11-24T08:31:39.000Z' },
              { message: 'bad', senderId: 'a', timestamp: 'yesterday' },
            ],
          },
        ],
        timestamp: String(T + 5),
      },
      [],
      7,
    );
    expect(res.messages.map((m) => m.at)).toEqual([T, T + 5]);
    expect(normaliseChat(ACC, { chatList: [{ userLoginId: 'a', messageList: [{ message: 'm', senderId: 'a' }] }] }, [], 7).messages[0]!.at).toBe(7);
  });

  it('treats a missing sender as the agent, skips chats without an agent and messages without text', () => {
    const res = normaliseChat(
      ACC,
      {
        chatList: [
          { userLoginId: 'a', messageList: [{ message: 'hi', timestamp: T }, { message: null, senderId: 'a', timestamp: T }] },
          { userLoginId: null, messageList: [{ message: 'orphan', senderId: 'x', timestamp: T }] },
          { userLoginId: 'b', messageList: null },
        ],
      },
      ['SEBYSA', '90125'],
      0,
    );
    expect(res.messages.map((m) => [m.text, m.fromAgent, m.senderId])).toEqual([['hi', true, '']]);
  });

  it('recognises the supervisor by login user id as well as user name', () => {
    const res = normaliseChat(ACC, { chatList: [{ userLoginId: 'a', messageList: [{ message: 'x', senderId: '90125', timestamp: T }] }] }, ['SEBYSA', '90125'], 0);
    expect(res.messages[0]!.fromAgent).toBe(false);
  });

  it('gives the same message the same id on every poll, and different messages different ids', () => {
    const res = { chatList: [{ userLoginId: 'a', messageList: [{ message: 'x', senderId: 'a', timestamp: T }, { message: 'y', senderId: 'a', timestamp: T }] }] };
    const a = normaliseChat(ACC, res, [], 0).messages.map((m) => m.id);
    const b = normaliseChat(ACC, res, [], 99).messages.map((m) => m.id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(2);
  });

  it('has no latest time for an empty list without a timestamp', () => {
    expect(normaliseChat(ACC, { chatList: [] }, [], 5)).toEqual({ messages: [], latestMs: null });
  });
});

describe('services and monitor start', () => {
  it('flattens call centres, accepting numeric or string ids and missing names', () => {
    const s = normaliseServices(ACC, {
      callCenters: [
        { callCenterId: 1718, callCenterName: 'Call Center 2', services: [{ serviceId: 23114, serviceName: 'Inskill feature code 1' }, { serviceId: '9' }, { serviceName: 'no id' }] },
        { callCenterId: null, services: null },
      ],
    });
    expect(s).toEqual([
      { accountId: ACC, id: '23114', name: 'Inskill feature code 1', callCenterId: '1718', callCenterName: 'Call Center 2' },
      { accountId: ACC, id: '9', name: 'Service 9', callCenterId: '1718', callCenterName: 'Call Center 2' },
    ]);
  });

  it('reads monitor/start as 200 {activeCall} or 204', () => {
    expect(startedAudioPath({ activeCall: true })).toBe(true);
    expect(startedAudioPath({ activeCall: false })).toBe(false);
    expect(startedAudioPath(null)).toBeNull();
  });
});
