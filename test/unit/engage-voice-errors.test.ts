// Engage Voice's errorCode: a name that says what went wrong decides the code, whatever the status,
// and it leads the vendor message ("errorCode: generalMessage") so the vendor's reference survives.
import { describe, expect, it } from 'vitest';
import { codeForErrorCode, describeError, vendorWords } from '../../main/vendors/engage-voice/errors.js';

const body = (errorCode: string | number | undefined, generalMessage?: string) =>
  JSON.stringify({ errorCode, ...(generalMessage === undefined ? {} : { generalMessage }), details: null, requestUri: '/x', timestamp: 1 });

describe('Engage Voice errorCode', () => {
  it.each([
    [400, 'NOT_FOUND', 'not_found'],
    [500, 'NOT_FOUND', 'not_found'],
    [400, 'CONFLICT', 'invalid_state'],
    [500, 'BAD_REQUEST', 'invalid_input'],
    [400, 'FORBIDDEN', 'forbidden'],
    [400, 'access_denied', 'forbidden'],
    [500, 'SERVICE_UNAVAILABLE', 'vendor_unavailable'],
    [400, 'TOO_MANY_REQUESTS', 'rate_limited'],
  ] as const)('%i with errorCode %s → %s', (status, errorCode, code) => {
    expect(describeError(status, body(errorCode, 'Something happened')).code).toBe(code);
  });

  it.each([
    [500, 'INTERNAL_SERVER_ERROR', 'vendor_unavailable'],
    [404, 'ERR_4711', 'not_found'],
    [409, 42, 'invalid_state'],
    [403, undefined, 'forbidden'],
  ] as const)('%i with errorCode %s says no more than the status → %s', (status, errorCode, code) => {
    expect(describeError(status, body(errorCode, 'x')).code).toBe(code);
  });

  it('keeps errorCode in the vendor message, ahead of generalMessage and details', () => {
    expect(describeError(404, body('NOT_FOUND', 'Active call 404404 not found')).vendorMessage).toBe('NOT_FOUND: Active call 404404 not found');
    expect(vendorWords(JSON.stringify({ errorCode: 4711, generalMessage: 'Bad', details: 'sessionType' }))).toBe('4711: Bad — sessionType');
    expect(vendorWords(JSON.stringify({ errorCode: 'NOT_FOUND' }))).toBe('NOT_FOUND');
    expect(vendorWords(JSON.stringify({ generalMessage: 'Bad' }))).toBe('Bad');
  });

  it('knows only names that plainly say what went wrong', () => {
    expect(codeForErrorCode(' not_found ')).toBe('not_found');
    expect(codeForErrorCode('INTERNAL_SERVER_ERROR')).toBeUndefined();
    expect(codeForErrorCode(undefined)).toBeUndefined();
  });
});
