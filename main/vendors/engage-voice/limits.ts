// Engage Voice's published limits (NOTES.md, official; docs/vendors.md › Engage Voice › Limits):
// 120 requests a minute shared by the active-call and real-time endpoints (list, agents and every
// call control), and 5 a minute on the token exchange. RingCX advises polling every 5–10 s.
import type { AccountConfig } from '../../domain/account.js';
import type { BucketSpec, PollPace, VendorLimits } from '../shared/limits.js';

/** RingCX's advice for this kind of polling is every 5–10 s: the in-view pace unless the account asks for faster. */
export const EV_POLL_EVERY_SEC = 5;

const BUCKETS: BucketSpec[] = [
  {
    id: 'api',
    label: 'Active-call and real-time APIs',
    perMinute: 110,
    documented: 120,
    source: 'Engage Voice: 120 requests a minute for the active-call and real-time endpoints together (docs/vendors.md › Engage Voice › Limits).',
  },
  {
    id: 'login',
    label: 'Token exchange and refresh',
    perMinute: 5,
    documented: 5,
    source: 'Engage Voice: the token exchange allows 5 requests a minute (docs/vendors.md › Engage Voice › Limits).',
  },
  {
    id: 'platform',
    label: 'RingCentral sign-in (JWT grant)',
    perMinute: 5,
    documented: null,
    source: 'Not published; one per login, so held to the exchange it feeds (5 a minute).',
  },
];

export const engageVoiceLimits: VendorLimits = {
  buckets: () => BUCKETS,
  bucketOf: (req) => {
    if (req.path.startsWith('/restapi/oauth/')) return 'platform';
    if (req.path.startsWith('/api/auth/')) return 'login';
    return 'api';
  },
  inView: (account: AccountConfig): PollPace => {
    const sec = account.vendor === 'engage-voice' ? (account.pollEverySec ?? EV_POLL_EVERY_SEC) : EV_POLL_EVERY_SEC;
    return { callsMs: sec * 1000, agentsMs: sec * 1000 };
  },
};
