// The account form's side of this change: Test connection names a proxy or a certificate as the
// cause, and the time zone field is checked as the schema checks it.
import { describe, expect, it } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { buildConfig, emptyDraft, explainTestFailure, validateDraft, type Draft } from '../../renderer/src/views/account-fields.js';

describe('Test connection explains proxy and certificate failures', () => {
  it('titles each by its cause, not "host unreachable"', () => {
    expect(explainTestFailure({ code: 'proxy', message: 'm' }, 'exotel').title).toBe('Proxy in the way');
    const cert = explainTestFailure({ code: 'certificate', message: 'm' }, 'exotel');
    expect(cert.title).toBe('Certificate not trusted');
    expect(cert.hint).toMatch(/region \/ base URLs.*Settings → Network/);
    expect(explainTestFailure({ code: 'network', message: 'm' }, 'audian').title).toBe('Host unreachable');
  });
});

describe('the time zone field', () => {
  const base = { label: 'Mumbai', id: 'mumbai', accountSid: 'sid' };
  const opts = { isNew: true, takenIds: [], secrets: { apiKey: 'k', apiToken: 't' }, secretsSet: [] };

  it('starts at IST for Exotel and saves as the account zone', () => {
    const d: Draft = { ...emptyDraft('exotel'), ...base };
    expect(d.timeZone).toBe('Asia/Kolkata');
    expect(validateDraft('exotel', d, opts)).toEqual({});
    expect(AccountConfig.parse(buildConfig('exotel', { ...d, timeZone: 'Europe/London' }, null))).toMatchObject({ timeZone: 'Europe/London' });
  });

  it('refuses a zone Intl does not know with the schema’s own words', () => {
    const d: Draft = { ...emptyDraft('exotel'), ...base, timeZone: 'Asia/Mumbai' };
    expect(validateDraft('exotel', d, opts).timeZone).toMatch(/"Asia\/Mumbai" is not a time zone this computer knows/);
    expect(validateDraft('exotel', { ...d, timeZone: 'UTC+5:30' }, opts).timeZone).toMatch(/UTC\+HH:MM/);
  });
});
