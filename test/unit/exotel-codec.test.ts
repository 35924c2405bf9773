import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { decodeV1, describeExotelError, readLeg, readLegList, readV3 } from '../../main/vendors/exotel/codec.js';
import { HttpCore } from '../../main/vendors/shared/http.js';
import { V3ActiveCallsPage, v3Envelope } from '../../main/vendors/exotel/types.js';

const LEG_XML = `<?xml version="1.0" encoding="UTF-8"?>
<TwilioResponse>
<Leg>
<Sid>XXXXXXXXXXXXXXXXX</Sid>
<CallSid>XXXXXXXXXXXXXXX</CallSid>
<AccountSid>XXXXXXXX</AccountSid>
<PhoneNumber>09876543210</PhoneNumber>
<Status>in-progress</Status>
<Origin>monitor</Origin>
<LastAction>barge</LastAction>
<DateCreated>2020-12-22 17:57:40</DateCreated>
<DateUpdated>2020-12-2217:57:40</DateUpdated>
<StartTime>2020-12-2217:57:40</StartTime>
<Uri>/v1/Accounts/XXXXXX/Calls/XXXXXXX/Legs</Uri>
</Leg>
</TwilioResponse>`;

const caught = (fn: () => unknown): SwitchboardError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SwitchboardError) return e;
  }
  throw new Error('expected a SwitchboardError');
};

describe('Exotel v1 bodies', () => {
  it('reads the document POST answer (XML) keeping leading zeros and the run-together date', () => {
    const leg = readLeg(decodeV1(LEG_XML, 'leg'));
    expect(leg).toMatchObject({ Sid: 'XXXXXXXXXXXXXXXXX', PhoneNumber: '09876543210', Origin: 'monitor', LastAction: 'barge', DateUpdated: '2020-12-2217:57:40' });
  });

  it('reads a leg from JSON, wrapped or bare, with numbers as text', () => {
    expect(readLeg(decodeV1('{"Leg":{"Sid":"L1","PhoneNumber":919876543210}}', 'leg'))).toMatchObject({ Sid: 'L1', PhoneNumber: '919876543210' });
    expect(readLeg(decodeV1('{"TwilioResponse":{"Leg":{"Sid":"L2"}}}', 'leg')).Sid).toBe('L2');
    expect(readLeg(decodeV1('{"Sid":"L3","Origin":"monitor"}', 'leg')).Sid).toBe('L3');
  });

  it('reads ActiveLegs as JSON (the document sample) and as XML with many, one or no legs', () => {
    const json = '{"Legs":[{"Sid":"a","Origin":"outbound","LastAction":""},{"Sid":"m","EndUserNumber":"x","Origin":"monitor","LastAction":"barge"}]}';
    expect(readLegList(decodeV1(json, 'l')).map((l) => l.Sid)).toEqual(['a', 'm']);
    const many = '<TwilioResponse><Legs><Leg><Sid>a</Sid><LastAction></LastAction></Leg><Leg><Sid>b</Sid></Leg></Legs></TwilioResponse>';
    expect(readLegList(decodeV1(many, 'l')).map((l) => [l.Sid, l.LastAction])).toEqual([
      ['a', ''],
      ['b', undefined],
    ]);
    expect(readLegList(decodeV1('<TwilioResponse><Legs><Leg><Sid>one</Sid></Leg></Legs></TwilioResponse>', 'l')).map((l) => l.Sid)).toEqual(['one']);
    expect(readLegList(decodeV1('<TwilioResponse><Legs></Legs></TwilioResponse>', 'l'))).toEqual([]);
    expect(readLegList(decodeV1('{"Legs":[]}', 'l'))).toEqual([]);
  });

  it.each([
    ['truncated XML', '<?xml version="1.0"?><TwilioResponse><Legs><Leg><Sid>'],
    ['truncated JSON', '{"Legs":[{"Sid":"'],
  ])('refuses %s as bad_response', (_n, text) => {
    expect(caught(() => readLegList(decodeV1(text, 'l'))).code).toBe('bad_response');
  });

  it('refuses well-formed bodies of the wrong shape', () => {
    expect(caught(() => readLegList(decodeV1('{"Calls":[]}', 'l'))).code).toBe('bad_response');
    expect(caught(() => readLegList(decodeV1('{"Legs":[{"Sid":{"x":1}}]}', 'l'))).code).toBe('bad_response');
    expect(caught(() => readLeg(decodeV1('<TwilioResponse><Call/></TwilioResponse>', 'l'))).code).toBe('bad_response');
  });
});

describe('Exotel error bodies', () => {
  // As the client reads them: through HttpCore, which masks the account's secrets in them.
  const core = new HttpCore({ baseURL: 'http://127.0.0.1:9', describeError: describeExotelError, secrets: ['sekret-key', 'sekret-token'] });
  const describeError = (status: number, text: string) => core.describe(status, text);

  it('reads the RestException with <Code> (and the shell residue the document sample carries)', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<TwilioResponse>
<RestException>
<Code>404</Code>
<Message>Given callSID is not in-progress</Message>
</RestException>
</TwilioResponse>sh-3.2#`;
    expect(describeError(404, text)).toMatchObject({ code: 'invalid_state', vendorMessage: 'Given callSID is not in-progress' });
  });

  it('reads the RestException with <Status>, and the JSON forms', () => {
    const xml = '<TwilioResponse><RestException><Status>400</Status><Message>Invalid Parameter: PhoneNumber is missing or invalid</Message></RestException></TwilioResponse>';
    expect(describeError(400, xml)).toMatchObject({ code: 'invalid_input', vendorMessage: 'Invalid Parameter: PhoneNumber is missing or invalid' });
    expect(describeError(404, '{"RestException":{"Code":404,"Message":"Given legSID does not exist. Please check the legSID passed"}}')).toMatchObject({
      code: 'not_found',
      vendorMessage: 'Given legSID does not exist. Please check the legSID passed',
    });
    expect(describeError(401, '{"TwilioResponse":{"RestException":{"Status":"401","Message":"Authentication is required"}}}')).toMatchObject({ code: 'auth_failed' });
  });

  it('reads the v3 envelope error and falls back to the status for unreadable bodies', () => {
    const v3 = '{"request_id":"r","method":"GET","http_code":404,"response":{"code":404,"status":"failure","error_data":{"code":4040,"message":"Not Found","description":"Call not found"},"data":null}}';
    expect(describeError(404, v3)).toMatchObject({ code: 'not_found', vendorMessage: 'Call not found' });
    expect(describeError(503, '<html>gateway')).toEqual({ code: 'vendor_unavailable', message: expect.any(String) });
    expect(describeError(429, '')).toMatchObject({ code: 'rate_limited' });
  });

  it('scrubs secrets the vendor echoes back', () => {
    const d = describeError(401, '{"RestException":{"Status":401,"Message":"bad key sekret-key / sekret-token"}}');
    expect(d.vendorMessage).toBe('bad key *** / ***');
  });

  it('treats a v3 envelope whose http_code is a failure as that failure, even inside HTTP 200', () => {
    const text = '{"request_id":"r","method":"GET","http_code":403,"response":{"code":403,"status":"failure","error_data":{"message":"Forbidden","description":"Feature not enabled"}}}';
    const e = caught(() => readV3(v3Envelope(V3ActiveCallsPage), text, 'list', describeError));
    expect(e.code).toBe('forbidden');
    expect(e.vendorMessage).toBe('Feature not enabled');
  });
});
