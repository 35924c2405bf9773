// Audian publishes no rate limit (NOTES.md; docs/vendors.md › Audian › Limits): every request is in
// one bucket at a conservative default, or the figure set on the account.
import { undocumentedBucket, type VendorLimits } from '../shared/limits.js';

export const audianLimits: VendorLimits = {
  buckets: (account) => [undocumentedBucket('Audian', account.vendor === 'audian' ? account.requestsPerMinute : undefined)],
  bucketOf: () => 'api',
  // At the 60-a-minute default, polls may take 40: the channel list every 3 s and the viewed call's
  // status every 4 s (35) leave room for a login and keep the reserve for the supervisor's clicks.
  inView: () => ({ callsMs: 3_000, detailMs: 4_000 }),
};
