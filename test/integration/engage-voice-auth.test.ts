// RingCentral login for Engage Voice: JWT grant, token exchange, proactive refresh, silent
// re-authentication on `Jwt is expired`, and the exchange's 5-a-minute limit never looped on.
import { describe, expect, it } from 'vitest';
import { authBaseFor, EngageVoiceClient } from '../../main/vendors/engage-voice/client.js';
import { connectedCall, harness, rejection, SUPERVISOR } from './engage-voice-harness.js';

const rc = { authMode: 'rc' as const };
const paths = (h: Awaited<ReturnType<typeof harness>>) => h.sim.server.log.map((r) => `${r.method} ${r.path.replace(/\/voice\/api\/v1\/admin\/accounts\/[^/]+/, '')} ${r.status}`);

describe('Engage Voice auth › RingCentral login', () => {
  it('logs in with the JWT grant, exchanges the token and sends Bearer', async () => {
    const h = await harness({}, rc);
    await h.client().listActiveCalls();
    expect(paths(h)).toEqual(['POST /restapi/oauth/token 200', 'POST /api/auth/login/rc/accesstoken 200', 'GET /activeCalls/list 200']);
    const [grant, exchange, list] = h.sim.server.log;
    const basic = Buffer.from(`switchboard-sim:${h.sim.credentials.rcClientSecret}`).toString('base64');
    expect(grant!.headers.authorization).toBe(`Basic ${basic}`);
    expect(Object.fromEntries(new URLSearchParams(grant!.body))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: h.sim.credentials.rcJwt,
    });
    expect(exchange!.query).toEqual({ includeRefresh: 'true' });
    expect(exchange!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(exchange!.body).get('rcTokenType')).toBe('Bearer');
    expect(list!.headers.authorization).toMatch(/^Bearer ev-access-/);
    expect(list!.headers['x-auth-token']).toBeUndefined();
  });

  it('derives the auth host from a /voice base URL unless one is set', () => {
    expect(authBaseFor({ baseUrl: 'https://ringcx.ringcentral.com/voice', authBaseUrl: undefined })).toBe('https://ringcx.ringcentral.com');
    expect(authBaseFor({ baseUrl: 'https://ringcx.ringcentral.com/voice', authBaseUrl: 'https://auth.example' })).toBe('https://auth.example');
  });

  it('concurrent requests share one login', async () => {
    const h = await harness({}, rc);
    const c = h.client();
    await Promise.all([c.listActiveCalls(), c.listAgentStates(), c.listActiveCalls()]);
    expect(h.sim.server.calls(/oauth\/token|accesstoken/)).toHaveLength(2);
  });

  it('refreshes before the 5-minute token lapses and keeps the new refresh token', async () => {
    const h = await harness({}, rc);
    const c = h.client();
    await c.listActiveCalls();
    h.clock.advance(4 * 60_000 + 40_000);
    await c.listActiveCalls();
    h.clock.advance(4 * 60_000 + 40_000);
    await c.listActiveCalls();
    expect(paths(h).slice(3)).toEqual([
      'POST /api/auth/token/refresh 200',
      'GET /activeCalls/list 200',
      'POST /api/auth/token/refresh 200',
      'GET /activeCalls/list 200',
    ]);
    // The second refresh used the token the first one returned (the sim rotates and forgets old ones).
    const [first, second] = h.sim.server.log.filter((r) => r.path.endsWith('/refresh'));
    expect(new URLSearchParams(second!.body).get('refresh_token')).not.toBe(new URLSearchParams(first!.body).get('refresh_token'));
  });

  it('on `Jwt is expired` it refreshes silently and the read succeeds', async () => {
    const h = await harness({}, rc);
    const c = h.client();
    await c.listActiveCalls();
    h.sim.server.injectFault({ kind: 'expire_auth' });
    expect(await c.listAgentStates()).toHaveLength(20);
    expect(paths(h).slice(3)).toEqual(['GET /realTimeData/agent 401', 'POST /api/auth/token/refresh 200', 'GET /realTimeData/agent 200']);
  });

  it('a call action refused with `Jwt is expired` is sent again after refresh and applied once', async () => {
    const h = await harness({}, rc);
    const c = h.client();
    const { uii } = connectedCall(h.sim);
    await c.listActiveCalls();
    h.sim.server.injectFault({ kind: 'expire_auth' });
    await c.addSessionToCall(uii, { destination: SUPERVISOR, sessionType: 'BARGEIN' });
    expect(h.sim.server.log.filter((r) => r.path.endsWith('addSessionToCall')).map((r) => r.status)).toEqual([401, 200]);
    expect(h.sim.state.calls.get(uii)!.sessions.get(SUPERVISOR)).toBe('BARGEIN');
  });

  it('when the refresh token is refused it logs in again', async () => {
    const h = await harness({}, rc);
    const c = h.client();
    await c.listActiveCalls();
    h.sim.auth.refreshTokens.clear();
    h.sim.server.injectFault({ kind: 'expire_auth' });
    await c.listActiveCalls();
    expect(paths(h).slice(3)).toEqual([
      'GET /activeCalls/list 401',
      'POST /api/auth/token/refresh 401',
      'POST /restapi/oauth/token 200',
      'POST /api/auth/login/rc/accesstoken 200',
      'GET /activeCalls/list 200',
    ]);
  });

  it('a bad JWT is auth_failed with the platform message, and never loops past 5 logins a minute', async () => {
    const h = await harness({}, rc);
    const c = new EngageVoiceClient(h.account, { ...h.sim.credentials, rcJwt: 'not-the-jwt' }, h.deps);
    const first = await rejection(c.listActiveCalls());
    expect(first.code).toBe('auth_failed');
    expect(first.vendorMessage).toBe('Invalid assertion');
    for (let i = 0; i < 6; i++) await rejection(c.listActiveCalls());
    expect(h.sim.server.calls(/oauth\/token/)).toHaveLength(5);
    const limited = await rejection(c.listActiveCalls());
    expect(limited.code).toBe('rate_limited');
    expect(JSON.stringify(limited)).not.toContain('not-the-jwt');
    h.clock.advance(61_000);
    expect((await rejection(c.listActiveCalls())).code).toBe('auth_failed');
    expect(h.sim.server.calls(/oauth\/token/)).toHaveLength(6);
  });

  it("the vendor's own exchange limit (429) surfaces as rate_limited", async () => {
    const h = await harness({}, rc);
    for (let i = 0; i < 5; i++) await h.client().listAgentStates();
    const err = await rejection(h.client({ maxLoginsPerMinute: 100 }).listAgentStates());
    expect(err.code).toBe('rate_limited');
    expect(err.vendorMessage).toBe('TOO_MANY_REQUESTS: Too many login requests');
  });

  it('missing RingCentral credentials are not_configured, with no request sent', async () => {
    const h = await harness({}, rc);
    const c = new EngageVoiceClient(h.account, { rcJwt: 'x' }, h.deps);
    expect((await rejection(c.listActiveCalls())).code).toBe('not_configured');
    expect(h.sim.server.log).toHaveLength(0);
  });

  it('an unreachable login service is vendor_unavailable, so an action is not reported as outcome unknown', async () => {
    const h = await harness({}, { ...rc, rcPlatformUrl: 'http://127.0.0.1:9' });
    const { uii } = connectedCall(h.sim);
    const err = await rejection(h.client().hangupCall(uii));
    expect(err.code).toBe('vendor_unavailable');
    expect(h.sim.state.calls.has(uii)).toBe(true);
  });
});
