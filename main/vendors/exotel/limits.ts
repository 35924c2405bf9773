// Exotel's published limits (NOTES.md, official; docs/vendors.md › Exotel › Limits), per account:
// 200 requests a minute for the voice APIs (v1 Calls: ActiveLegs, Legs) and 300 a minute for
// general GETs (the v3 active-call list and streams). A 429 carries Retry-After and X-RateLimit-*.
import type { BucketSpec, VendorLimits } from '../shared/limits.js';

const BUCKETS: BucketSpec[] = [
  {
    id: 'voice',
    label: 'Voice APIs (v1 legs: listen, whisper, barge, hang up)',
    perMinute: 180,
    documented: 200,
    source: 'Exotel: 200 requests a minute per account for voice APIs (docs/vendors.md › Exotel › Limits).',
  },
  {
    id: 'get',
    label: 'General GETs (v3 active calls, streams)',
    perMinute: 270,
    documented: 300,
    source: 'Exotel: 300 requests a minute per account for general GETs (docs/vendors.md › Exotel › Limits).',
  },
];

export const exotelLimits: VendorLimits = {
  buckets: () => BUCKETS,
  // Every v1 request is a voice API (its GET ActiveLegs included); v3 is only read, with GETs.
  bucketOf: (req) => (req.path.startsWith('/v1/') ? 'voice' : 'get'),
  inView: () => ({}),
};
