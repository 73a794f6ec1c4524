import { describe, expect, it } from 'vitest';
import {
  classifyLinkedIn,
  duplicateUrnFromMessage,
  type LinkedInCallOutcome,
  nextMidnightUtc,
} from '../../src/platforms/linkedin/classify.js';
import { readerView } from '../../src/platforms/linkedin/little-text.js';

const NOW = new Date('2030-03-10T15:30:00Z');
const PERSON = 'urn:li:person:abc123';

const classify = (o: Partial<LinkedInCallOutcome>) =>
  classifyLinkedIn({ operation: 'create', author: PERSON, now: NOW, ...o });

describe('classifyLinkedIn', () => {
  it.each([
    [65600, 'INVALID_ACCESS_TOKEN'],
    [65601, 'REVOKED_ACCESS_TOKEN'],
    [65602, 'EXPIRED_ACCESS_TOKEN'],
  ])('401 serviceErrorCode %i is auth with code %s, even without a code string', (serviceErrorCode, code) => {
    const f = classify({ status: 401, body: { status: 401, serviceErrorCode, message: 'whatever' } });
    expect(f).toMatchObject({ kind: 'auth', status: 401, code, platform: 'linkedin' });
    expect(f.action).toContain('60 days');
  });

  it('401 with an empty body is still auth', () => {
    expect(classify({ status: 401, body: '' })).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('403 ACCESS_DENIED names the scope to grant for persons and organizations', () => {
    const body = {
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: 'Not enough permissions',
    };
    expect(classify({ status: 403, body }).action).toContain('w_member_social');
    const org = classify({ status: 403, body, author: 'urn:li:organization:9' });
    expect(org).toMatchObject({ kind: 'auth', code: 'ACCESS_DENIED' });
    expect(org.action).toContain('w_organization_social');
    expect(classify({ status: 403, body, operation: 'read' }).action).toContain('r_member_social');
  });

  it('426 NONEXISTENT_VERSION is auth with the version to set', () => {
    const f = classify({
      status: 426,
      body: { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 202001 is not active' },
    });
    expect(f).toMatchObject({ kind: 'auth', code: 'NONEXISTENT_VERSION' });
    expect(f.action).toMatch(/^Set LINKEDIN_VERSION to a live YYYYMM version.*e\.g\. 203001/);
  });

  it('429 lasts until the next midnight UTC of the server Date, else of the local clock', () => {
    const body = {
      status: 429,
      serviceErrorCode: 101,
      message: 'Resource level throttle APPLICATION DAY limit …',
    };
    expect(classify({ status: 429, body }).until?.toISOString()).toBe('2030-03-11T00:00:00.000Z');
    const server = classify({ status: 429, body, serverDate: 'Tue, 11 Mar 2030 23:59:59 GMT' });
    expect(server).toMatchObject({ kind: 'rate-limited', status: 429, code: '101' });
    // One second left of the server's day, counted from our clock (NOW), whatever the skew between the two.
    expect(server.until?.getTime()).toBe(NOW.getTime() + 1000);
    expect(classify({ status: 429, serverDate: 'garbage' }).until).toEqual(nextMidnightUtc(NOW));
  });

  it('422 DUPLICATE_POST is duplicate, with the URN LinkedIn put in the message', () => {
    const body = {
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message: 'ERROR :: /commentary :: Content is a duplicate of urn:li:share:7200000000000000042',
      errorDetails: {
        inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }],
      },
      status: 422,
    };
    expect(classify({ status: 422, body })).toMatchObject({
      kind: 'duplicate',
      code: 'DUPLICATE_POST',
      existing: {
        postId: 'urn:li:share:7200000000000000042',
        url: 'https://www.linkedin.com/feed/update/urn:li:share:7200000000000000042',
      },
    });
    const bare = classify({ status: 422, body: { ...body, message: 'Content is a duplicate' } });
    expect(bare).toMatchObject({ kind: 'duplicate' });
    expect(bare.existing).toBeUndefined();
  });

  it('400 and 422 field errors are invalid and keep LinkedIn message; text alone never decides', () => {
    const fields = classify({
      status: 422,
      body: {
        status: 422,
        message: 'ERROR :: /author :: field is required but not found and has no default value\n',
      },
    });
    expect(fields).toMatchObject({ kind: 'invalid', status: 422 });
    expect(fields.message).toBe(
      'ERROR :: /author :: field is required but not found and has no default value\n',
    );
    expect(
      classify({
        status: 400,
        body: { status: 400, code: 'VERSION_MISSING', message: 'A version must be present' },
      }),
    ).toMatchObject({ kind: 'invalid', code: 'VERSION_MISSING' });
    // A message that talks about duplicates is not a duplicate without the DUPLICATE_POST code.
    expect(
      classify({ status: 422, body: { status: 422, message: 'duplicate of urn:li:share:1' } }).kind,
    ).toBe('invalid');
  });

  it('5xx and timeouts after a create was sent are unconfirmed; on a read they are transient', () => {
    expect(classify({ status: 500, body: { status: 500 } }).kind).toBe('unconfirmed');
    expect(classify({ status: 504, body: '<html>Gateway Timeout</html>' }).kind).toBe('unconfirmed');
    expect(classify({ networkCode: 'ETIMEDOUT' }).kind).toBe('unconfirmed');
    expect(classify({ networkCode: 'ECONNRESET' }).kind).toBe('unconfirmed');
    expect(classify({ networkCode: undefined }).kind).toBe('unconfirmed');
    expect(classify({ status: 502, operation: 'read' }).kind).toBe('transient');
    expect(classify({ networkCode: 'ECONNRESET', operation: 'read' }).kind).toBe('transient');
  });

  it('connection refused or DNS failure before sending is transient', () => {
    for (const networkCode of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])
      expect(classify({ networkCode })).toMatchObject({ kind: 'transient', code: networkCode });
  });

  it('reads a share or ugcPost URN out of a duplicate message', () => {
    expect(duplicateUrnFromMessage('…duplicate of urn:li:ugcPost:123.')).toBe('urn:li:ugcPost:123');
    expect(duplicateUrnFromMessage(undefined)).toBeUndefined();
  });
});

describe('readerView (little text as readers see it)', () => {
  it.each([
    ['Plain text stays', 'Plain text stays', -1],
    ['Rates rise \\(again\\) \\#1', 'Rates rise (again) #1', -1],
    ['Rates rise (again)', 'Rates rise ', 11],
    ['Tag #news and #2030 stay', 'Tag #news and #2030 stay', -1],
    ['A lone # cuts', 'A lone ', 7],
    ['Hi @[Ada Lovelace](urn:li:person:ada1)!', 'Hi Ada Lovelace!', -1],
    ['Mail a@b.c', 'Mail a', 6],
    ['{hashtag|\\#|climate} now', '#climate now', -1],
    ['back\\slash', 'back', 4],
    ['snake_case', 'snake', 5],
  ])('%j → %j', (input, text, cutAt) => {
    expect(readerView(input)).toEqual({ text, cutAt });
  });
});
