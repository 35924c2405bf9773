// LiveVox says only that its APIs "may be subject to rate limits" (NOTES.md; docs/vendors.md ›
// LiveVox › Limits): every request is in one bucket at a conservative default, or the account's figure.
import { undocumentedBucket, type VendorLimits } from '../shared/limits.js';

export const liveVoxLimits: VendorLimits = {
  buckets: (account) => [undocumentedBucket('LiveVox', account.vendor === 'livevox' ? account.requestsPerMinute : undefined)],
  bucketOf: () => 'api',
  // At the 60-a-minute default, polls may take 40: the realtime feed (calls and agents share it) every
  // 3 s and chat every 5 s (32) leave room for a login and keep the reserve for the supervisor's clicks.
  inView: () => ({ callsMs: 3_000, agentsMs: 3_000, chatMs: 5_000 }),
};
