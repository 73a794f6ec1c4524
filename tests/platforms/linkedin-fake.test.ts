import axios, { type AxiosResponse } from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LINKEDIN_FAKE_CREDENTIALS as CREDS,
  createLinkedInFake,
  LINKEDIN_FAKE_CLIENT,
  LINKEDIN_FAKE_MEMBER,
  LINKEDIN_FAKE_ORG,
  LINKEDIN_FAKE_REDIRECT_URI,
} from '../../src/platforms/linkedin/fake.js';
import { fakeTls } from '../helpers/fake-tls.js';

const fake = createLinkedInFake();
const DAY = 86_400_000;

function headers(over: Record<string, string | undefined> = {}): Record<string, string> {
  const h: Record<string, string | undefined> = {
    Authorization: `Bearer ${CREDS.accessToken}`,
    'LinkedIn-Version': CREDS.version,
    'X-Restli-Protocol-Version': '2.0.0',
    ...over,
  };
  return Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
}

function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    author: LINKEDIN_FAKE_MEMBER,
    commentary: 'Council approves the new tram line \\(phase 2\\) #transport',
    visibility: 'PUBLIC',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: 'PUBLISHED',
    isReshareDisabledByAuthor: false,
    content: { article: { source: 'https://news.example/tram', title: 'Tram line approved' } },
    ...over,
  };
}

const post = (b: unknown, h = headers()): Promise<AxiosResponse> =>
  axios.post(`${fake.url}/rest/posts`, b, { headers: h, validateStatus: () => true });

const finder = (author: string, h = headers()): Promise<AxiosResponse> =>
  axios.get(`${fake.url}/rest/posts?q=author&author=${author}&count=20`, {
    headers: { ...h, 'X-RestLi-Method': 'FINDER' },
    validateStatus: () => true,
  });

describe('LinkedIn fake', () => {
  beforeAll(async () => {
    await fake.start(fakeTls());
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('creates a post: 201, empty body, x-restli-id, Date from the fake clock', async () => {
    fake.server.clock.offsetMs = 5 * DAY;
    const res = await post(body());
    expect(res.status).toBe(201);
    expect(res.data).toBe('');
    expect(res.headers['x-restli-id']).toMatch(/^urn:li:share:\d+$/);
    expect(Math.abs(new Date(res.headers.date).getTime() - fake.now())).toBeLessThan(2000);
    const [stored] = fake.posts();
    expect(stored).toMatchObject({
      id: res.headers['x-restli-id'],
      author: LINKEDIN_FAKE_MEMBER,
      visibleText: 'Council approves the new tram line (phase 2) #transport',
      cutAt: -1,
      article: { source: 'https://news.example/tram', title: 'Tram line approved' },
      version: CREDS.version,
    });
  });

  it('requires the version headers: 400 VERSION_MISSING, 426 for retired or expired versions', async () => {
    const missing = await post(body(), headers({ 'LinkedIn-Version': undefined }));
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ status: 400, code: 'VERSION_MISSING' });
    expect(missing.headers['x-restli-gateway-error']).toBe('true');

    const noProtocol = await post(body(), headers({ 'X-Restli-Protocol-Version': undefined }));
    expect(noProtocol.status).toBe(400);
    expect(noProtocol.data.code).toBe('ILLEGAL_ARGUMENT');

    fake.setState({ config: { retiredVersions: [CREDS.version] } });
    const retired = await post(body());
    expect(retired.status).toBe(426);
    expect(retired.data).toMatchObject({
      code: 'NONEXISTENT_VERSION',
      message: `Requested version ${CREDS.version} is not active`,
    });
    fake.reset();
    fake.server.clock.offsetMs = 400 * DAY; // > 12 months after the version
    fake.setToken(CREDS.accessToken, 'valid');
    expect((await post(body())).status).toBe(426);
    expect(fake.posts()).toHaveLength(0);
  });

  it('answers token states with LinkedIn 401 bodies (state set over /__control/state)', async () => {
    const set = (state: string) =>
      axios.post(`${fake.url}/__control/state`, { tokens: { [CREDS.accessToken]: { state } } });
    await set('expired');
    expect((await post(body())).data).toEqual({
      status: 401,
      serviceErrorCode: 65602,
      code: 'EXPIRED_ACCESS_TOKEN',
      message: 'The token used in the request has expired',
    });
    await set('revoked');
    expect((await post(body())).data).toMatchObject({
      status: 401,
      serviceErrorCode: 65601,
      code: 'REVOKED_ACCESS_TOKEN',
    });
    const unknown = await post(body(), headers({ Authorization: 'Bearer nope' }));
    expect(unknown.data).toMatchObject({
      status: 401,
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
    });
    const none = await post(body(), headers({ Authorization: undefined }));
    expect(none.status).toBe(401);
    const state = (await axios.get(`${fake.url}/__control/state`)).data;
    expect(state.tokens[CREDS.accessToken].state).toBe('revoked');
  });

  it('403 ACCESS_DENIED for an organization without a poster role or another member', async () => {
    const org = 'urn:li:organization:20002';
    const denied = await post(body({ author: org }));
    expect(denied.status).toBe(403);
    expect(denied.data).toEqual({
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: `Not enough permissions to access: partnerApiPostsExternal.CREATE.${CREDS.version}01`,
    });
    fake.setOrgRole(org, LINKEDIN_FAKE_MEMBER, 'ANALYST');
    expect((await post(body({ author: org }))).status).toBe(403);
    fake.setOrgRole(org, LINKEDIN_FAKE_MEMBER, 'CONTENT_ADMINISTRATOR');
    expect((await post(body({ author: org }))).status).toBe(201);
    expect((await post(body({ author: LINKEDIN_FAKE_ORG }))).status).toBe(201);
    expect((await post(body({ author: 'urn:li:person:someoneElse' }))).status).toBe(403);
  });

  it('422 field errors for missing or wrong fields, 400 for a body that is not JSON', async () => {
    const { author: _a, visibility: _v, ...rest } = body();
    const res = await post({ ...rest, lifecycleState: 'LIVE' });
    expect(res.status).toBe(422);
    expect(res.data.message).toContain(
      'ERROR :: /author :: field is required but not found and has no default value\n',
    );
    expect(res.data.message).toContain('ERROR :: /visibility :: field is required');
    expect(res.data.message).toContain('ERROR :: /lifecycleState :: "LIVE" is not an enum symbol');
    const noTitle = await post(body({ content: { article: { source: 'https://news.example/x' } } }));
    expect(noTitle.data.message).toContain('/content/article/title :: field is required');
    const notJson = await post('not json', { ...headers(), 'Content-Type': 'text/plain' });
    expect(notJson.data).toMatchObject({
      status: 400,
      code: 'ILLEGAL_ARGUMENT',
      message: 'Request body could not be converted to data map',
    });
  });

  it('stores commentary cut at the first unescaped reserved character, still 201', async () => {
    const res = await post(
      body({ commentary: 'Hi @[Ada Lovelace](urn:li:person:ada1) #news Rates rise (again) today' }),
    );
    expect(res.status).toBe(201);
    expect(fake.posts()[0]).toMatchObject({
      visibleText: 'Hi Ada Lovelace #news Rates rise ',
      commentary: 'Hi @[Ada Lovelace](urn:li:person:ada1) #news Rates rise ',
      cutAt: 56,
    });
  });

  it('over 3000 characters: 422 by default, truncated when configured', async () => {
    const long = 'a'.repeat(3001);
    const rejected = await post(body({ commentary: long }));
    expect(rejected.status).toBe(422);
    expect(rejected.data.message).toContain('/commentary');
    fake.setState({ config: { overLength: 'truncate' } });
    expect((await post(body({ commentary: long }))).status).toBe(201);
    expect(fake.posts()[0]).toMatchObject({ truncated: true, visibleText: 'a'.repeat(3000) });
  });

  it('same author and commentary: 422 DUPLICATE_POST naming the first post (configurable)', async () => {
    const first = await post(body());
    const again = await post(body({ content: undefined }));
    expect(again.status).toBe(422);
    expect(again.data.errorDetails.inputErrors[0].code).toBe('DUPLICATE_POST');
    expect(again.data.message).toContain(`duplicate of ${first.headers['x-restli-id']}`);
    fake.setState({ config: { duplicateMessageHasUrn: false } });
    expect((await post(body())).data.message).not.toContain('urn:li:share');
    expect((await post(body({ author: LINKEDIN_FAKE_ORG }))).status).toBe(201);
  });

  it('a deleted post no longer counts as a duplicate', async () => {
    const first = await post(body());
    expect((await post(body())).status).toBe(422);
    const urn = encodeURIComponent(String(first.headers['x-restli-id']));
    const gone = await axios.delete(`${fake.url}/rest/posts/${urn}`, {
      headers: headers(),
      validateStatus: () => true,
    });
    expect(gone.status).toBe(204);
    expect((await post(body())).status).toBe(201);
    expect((await post(body())).status).toBe(422);
  });

  it('daily member and app counters answer 429 until midnight UTC of the fake clock', async () => {
    const start = Date.UTC(2030, 0, 15, 23, 0);
    fake.server.clock.offsetMs = start - Date.now();
    fake.setToken(CREDS.accessToken, 'valid');
    fake.setState({ config: { memberDailyLimit: 2, retiredVersions: [] } });
    const vh = headers({ 'LinkedIn-Version': '202912' });
    expect((await post(body({ commentary: 'one' }), vh)).status).toBe(201);
    expect((await post(body({ commentary: 'two' }), vh)).status).toBe(201);
    const limited = await post(body({ commentary: 'three' }), vh);
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ status: 429, serviceErrorCode: 101 });
    expect(limited.data.message).toContain('MEMBER DAY limit');
    expect(limited.headers['retry-after']).toBeUndefined();
    fake.server.clock.offsetMs = Date.UTC(2030, 0, 16, 0, 0, 1) - Date.now();
    expect((await post(body({ commentary: 'three' }), vh)).status).toBe(201);
    fake.setState({ usage: { app: 100_000 } });
    expect((await post(body({ commentary: 'four' }), vh)).data.message).toContain('APPLICATION DAY limit');
  });

  it('finder: newest first, URN must be URL-encoded, reading needs r_member_social', async () => {
    await post(body({ commentary: 'first' }));
    await post(body({ commentary: 'second' }));
    const res = await finder(encodeURIComponent(LINKEDIN_FAKE_MEMBER));
    expect(res.status).toBe(200);
    expect(res.data.paging).toMatchObject({ start: 0, count: 20 });
    expect(res.data.elements.map((e: { commentary: string }) => e.commentary)).toEqual(['second', 'first']);
    expect(res.data.elements[0]).toMatchObject({
      id: fake.posts()[1]!.id,
      content: { article: { source: 'https://news.example/tram' } },
    });
    expect((await finder(LINKEDIN_FAKE_MEMBER)).status).toBe(400);
    fake.setToken(CREDS.accessToken, 'valid', ['w_member_social']);
    const denied = await finder(encodeURIComponent(LINKEDIN_FAKE_MEMBER));
    expect(denied.data).toMatchObject({ status: 403, code: 'ACCESS_DENIED' });
  });

  it('token endpoint: 60-day access tokens, a 365-day refresh token fixed from the first authorisation', async () => {
    const form = (f: Record<string, string>) =>
      axios.post(
        `${fake.url}/oauth/v2/accessToken`,
        new URLSearchParams({
          client_id: LINKEDIN_FAKE_CLIENT.clientId,
          client_secret: LINKEDIN_FAKE_CLIENT.clientSecret,
          ...f,
        }),
        { validateStatus: () => true },
      );
    fake.issueAuthCode('code-1', ['w_member_social', 'r_member_social']);
    const first = await form({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: LINKEDIN_FAKE_REDIRECT_URI,
    });
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      expires_in: 60 * 86_400,
      refresh_token_expires_in: 365 * 86_400,
      scope: 'w_member_social,r_member_social',
    });
    const reused = await form({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: LINKEDIN_FAKE_REDIRECT_URI,
    });
    expect(reused.data.error).toBe('invalid_request');
    expect((await post(body(), headers({ Authorization: `Bearer ${first.data.access_token}` }))).status).toBe(
      201,
    );

    fake.server.clock.offsetMs = 61 * DAY;
    const stale = await post(
      body({ commentary: 'later' }),
      headers({ Authorization: `Bearer ${first.data.access_token}` }),
    );
    expect(stale.data.code).toBe('EXPIRED_ACCESS_TOKEN');
    const refreshed = await form({ grant_type: 'refresh_token', refresh_token: first.data.refresh_token });
    expect(refreshed.data).toMatchObject({
      refresh_token: first.data.refresh_token,
      expires_in: 60 * 86_400,
    });
    // The refresh token's life is not extended: 365 - 61 days are left (give or take the test's own seconds).
    expect(Math.round(refreshed.data.refresh_token_expires_in / 60)).toBe(304 * 24 * 60);
    expect(
      (
        await post(
          body({ commentary: 'later' }),
          headers({ Authorization: `Bearer ${refreshed.data.access_token}` }),
        )
      ).status,
    ).toBe(201);
    fake.server.clock.offsetMs = 366 * DAY;
    expect(
      (await form({ grant_type: 'refresh_token', refresh_token: first.data.refresh_token })).status,
    ).toBe(400);
    expect(
      (await form({ grant_type: 'refresh_token', refresh_token: 'x', client_secret: 'wrong' })).data.error,
    ).toBe('invalid_client');
  });

  const initialize = (owner: unknown, h = headers(), action = 'initializeUpload'): Promise<AxiosResponse> =>
    axios.post(
      `${fake.url}/rest/images?action=${action}`,
      owner === undefined ? { initializeUploadRequest: {} } : { initializeUploadRequest: { owner } },
      { headers: h, validateStatus: () => true },
    );
  const upload = (url: string, bytes: Buffer, token: string | null = CREDS.accessToken) =>
    axios.put(url, bytes, {
      headers: { 'Content-Type': 'image/png', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      validateStatus: () => true,
    });
  const withThumbnail = (thumbnail: string, commentary = 'With a thumbnail') =>
    body({
      commentary,
      content: { article: { source: 'https://news.example/tram', title: 'Tram line approved', thumbnail } },
    });

  it('Images API: initializeUpload, PUT the bytes, then a post with the thumbnail', async () => {
    const init = await initialize(LINKEDIN_FAKE_MEMBER);
    expect(init.status).toBe(200);
    const { uploadUrl, image, uploadUrlExpiresAt } = init.data.value;
    expect(image).toMatch(/^urn:li:image:[A-Za-z0-9]+$/);
    expect(uploadUrl).toBe(`${fake.url}/dms-uploads/${image.slice('urn:li:image:'.length)}`);
    expect(uploadUrlExpiresAt).toBeGreaterThan(fake.now());
    expect(fake.images()).toMatchObject([
      { urn: image, owner: LINKEDIN_FAKE_MEMBER, status: 'WAITING_UPLOAD' },
    ]);
    const info = (urn: string) =>
      axios.get(`${fake.url}/rest/images/${encodeURIComponent(urn)}`, {
        headers: headers(),
        validateStatus: () => true,
      });
    expect((await info(image)).data).toEqual({
      id: image,
      owner: LINKEDIN_FAKE_MEMBER,
      status: 'WAITING_UPLOAD',
    });

    const bytes = Buffer.from('GIF89a, or rather text bytes standing in for one');
    expect((await upload(uploadUrl, bytes, null)).status).toBe(401);
    expect((await upload(uploadUrl, bytes, 'not-a-token')).status).toBe(401);
    fake.setState({
      tokens: { 'other-member-token': { member: 'urn:li:person:other', scopes: ['w_member_social'] } },
    });
    expect((await upload(uploadUrl, bytes, 'other-member-token')).status).toBe(403);
    expect((await upload(`${fake.url}/dms-uploads/NoSuchUpload`, bytes)).status).toBe(404);
    expect(fake.images()[0]?.status).toBe('WAITING_UPLOAD');
    const put = await upload(uploadUrl, bytes);
    expect(put.status).toBe(201);
    expect(fake.images()[0]).toMatchObject({
      status: 'AVAILABLE',
      mediaType: 'image/png',
      size: bytes.length,
    });
    expect(fake.images()[0]?.bytes?.equals(bytes)).toBe(true);
    const available = (await info(image)).data;
    expect(available).toMatchObject({ id: image, status: 'AVAILABLE' });
    const back = await axios.get(available.downloadUrl, { responseType: 'arraybuffer' });
    expect(Buffer.from(back.data).equals(bytes)).toBe(true);
    expect((await info('urn:li:image:nope')).status).toBe(404);

    const res = await post(withThumbnail(image));
    expect(res.status).toBe(201);
    expect(fake.posts()[0]).toMatchObject({
      id: res.headers['x-restli-id'],
      thumbnail: image,
      article: { thumbnail: image },
    });
    const state = (await axios.get(`${fake.url}/__control/state`)).data;
    expect(state.posts[0].thumbnail).toBe(image);
    expect(state.images).toMatchObject([{ urn: image, status: 'AVAILABLE', size: bytes.length }]);
    expect(state.images[0]).not.toHaveProperty('bytes');
  });

  it('Images API: the checks of /rest/posts (version, token, permission), 422 without an owner, 400 for another action', async () => {
    expect(
      (await initialize(LINKEDIN_FAKE_MEMBER, headers({ 'LinkedIn-Version': undefined }))).data,
    ).toMatchObject({
      status: 400,
      code: 'VERSION_MISSING',
    });
    expect(
      (await initialize(LINKEDIN_FAKE_MEMBER, headers({ Authorization: 'Bearer nope' }))).data,
    ).toMatchObject({
      status: 401,
      code: 'INVALID_ACCESS_TOKEN',
    });
    const noOwner = await initialize(undefined);
    expect(noOwner.status).toBe(422);
    expect(noOwner.data.message).toBe(
      'ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value\n',
    );
    const other = await initialize('urn:li:person:someoneElse');
    expect(other.status).toBe(403);
    expect(other.data).toMatchObject({ status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED' });
    const org = 'urn:li:organization:20002';
    expect((await initialize(org)).status).toBe(403);
    fake.setOrgRole(org, LINKEDIN_FAKE_MEMBER, 'CONTENT_ADMINISTRATOR');
    expect((await initialize(org)).status).toBe(200);
    expect((await initialize(LINKEDIN_FAKE_ORG)).status).toBe(200);
    expect((await initialize(LINKEDIN_FAKE_MEMBER, headers(), 'registerUpload')).data).toMatchObject({
      status: 400,
      code: 'ILLEGAL_ARGUMENT',
    });
    expect(fake.images().map((i) => i.owner)).toEqual([org, LINKEDIN_FAKE_ORG]);
    fake.setToken(CREDS.accessToken, 'expired');
    expect((await initialize(LINKEDIN_FAKE_MEMBER)).data.code).toBe('EXPIRED_ACCESS_TOKEN');
  });

  it('a thumbnail that is unknown or not uploaded yet: 422 field error, nothing stored', async () => {
    const unknown = await post(withThumbnail('urn:li:image:D4E10AQNoSuchImage'));
    expect(unknown.status).toBe(422);
    expect(unknown.data).toEqual({
      status: 422,
      message:
        'ERROR :: /content/article/thumbnail :: "urn:li:image:D4E10AQNoSuchImage" is not a known image\n',
    });
    const { image, uploadUrl } = (await initialize(LINKEDIN_FAKE_MEMBER)).data.value;
    const early = await post(withThumbnail(image));
    expect(early.status).toBe(422);
    expect(early.data.message).toMatch(/^ERROR :: \/content\/article\/thumbnail :: .*WAITING_UPLOAD/);
    const notString = await post(withThumbnail(42 as unknown as string));
    expect(notString.data.message).toContain('ERROR :: /content/article/thumbnail :: 42 cannot be coerced');
    expect(fake.posts()).toHaveLength(0);
    expect((await upload(uploadUrl, Buffer.from('bytes'))).status).toBe(201);
    expect((await post(withThumbnail(image))).status).toBe(201);

    // An upload URL is good for a day of the fake clock.
    const late = (await initialize(LINKEDIN_FAKE_MEMBER)).data.value;
    fake.server.clock.offsetMs = DAY + 1000;
    fake.setToken(CREDS.accessToken, 'valid');
    expect((await upload(late.uploadUrl, Buffer.from('bytes'))).data).toMatchObject({
      status: 400,
      message: `The upload URL of ${late.image} has expired`,
    });
  });

  it('fault helpers: rate limit for a while, store then fail', async () => {
    fake.rateLimitFor(60_000);
    const limited = await post(body());
    expect(limited.status).toBe(429);
    expect(limited.data.message).toContain('APPLICATION DAY limit');
    fake.server.clearFaults();
    fake.failAfterStore();
    const failed = await post(body());
    expect(failed.status).toBe(500);
    expect(fake.posts()).toHaveLength(1);
  });
});
