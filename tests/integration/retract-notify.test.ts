import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import { approvePost } from '../../src/control/approval.js';
import { redactSecrets } from '../../src/control/notify.js';
import { retractPost } from '../../src/control/retract.js';
import { withdrawArticle } from '../../src/control/withdraw.js';
import type { LedgerRef } from '../../src/ledger/ledger.js';
import { TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { publishJobId } from '../../src/queue/names.js';
import { type ConsoleHarness, fixture, STORM_URL, startConsoleHarness } from '../helpers/console.js';
import { until } from '../helpers/pipeline.js';

const ID = articleId(canonicalKey(STORM_URL));
const X: LedgerRef = { articleId: ID, platform: 'twitter', account: 'x-main' };
const FB: LedgerRef = { articleId: ID, platform: 'facebook', account: 'fb-page' };
const X_ID = publishJobId(ID, 'x-main');
const FB_ID = publishJobId(ID, 'fb-page');

/** A Slack-like incoming webhook on loopback that records what it is sent. */
async function chatHook(): Promise<{
  url: string;
  messages: Array<{ text: string }>;
  close(): Promise<void>;
}> {
  const messages: Array<{ text: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      messages.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/XXXX`,
    messages,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const yaml = (hookUrl: string, onWithdrawn = 'keep') => `
site: { name: North Sea Post, url: https://news.example.org, timezone: Europe/Paris }
sources:
  - { id: news, kind: text, location: storm.txt, onWithdrawn: ${onWithdrawn} }
accounts:
  - { id: x-main, platform: twitter, template: "{summary}\\n\\n{link}", approval: required }
  - { id: fb-page, platform: facebook }
notify: { webhookUrl: "${hookUrl}" }
publishing: { attempts: 2, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1, holdRecheckMs: 500 }
`;

describe('retract and notify (real Redis, BullMQ, fakes)', () => {
  let t: ConsoleHarness | undefined;
  let hook: Awaited<ReturnType<typeof chatHook>> | undefined;
  afterEach(async () => {
    await t?.close();
    await hook?.close();
  });

  const start = async (onWithdrawn?: string) => {
    hook = await chatHook();
    t = await startConsoleHarness({ yaml: yaml(hook.url, onWithdrawn) });
    await enqueueIngest(t.h.ctx, {
      location: fixture('storm.txt'),
      kind: 'text',
      url: STORM_URL,
      sourceId: 'news',
      correlationId: randomUUID(),
    });
    await until(async () => (await t!.h.ctx.ledger.get(FB))?.state === 'posted');
    await until(async () => (await t!.h.ctx.ledger.get(X))?.state === 'awaiting-approval');
    await approvePost(t.h.ctx, X_ID);
    await until(async () => (await t!.h.ctx.ledger.get(X))?.state === 'posted');
    return t;
  };

  it('retracts from the console: deleted on the fake, retracted in the ledger, never posted again, operator told', async () => {
    const t = await start();
    const c = await t.login();
    const tweet = t.h.fakes.twitter.posts()[0]!;
    const page = await (await c.get(`/posts/${X_ID}`)).text();
    expect(page).toContain('Retract (delete on the platform)');
    const res = await c.post(`/posts/${X_ID}/retract`, { _csrf: await c.csrf() });
    expect(res.status).toBe(303);
    expect(await (await c.get(res.headers.get('location')!)).text()).toContain('Retracted');
    expect(t.h.fakes.twitter.deleted().map((d) => d.id)).toEqual([tweet.id]);
    const e = (await t.h.ctx.ledger.get(X))!;
    expect(e.state).toBe('retracted');
    expect(e.retractedAt).toBeDefined();
    // Never posted again: a forced publish of the same article composes nothing new for the account.
    const composed = () =>
      t.h.log.lines.filter((l) => l.msg === 'job completed' && l.queue === 'compose').length;
    const before = composed();
    await t.publish('storm.txt');
    await until(() => composed() > before);
    await expect(
      import('../../src/control/posts.js').then((m) => m.retryPost(t.h.ctx, X_ID)),
    ).rejects.toThrow(/retracted/);
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
    await expect(retractPost(t.h.ctx, X_ID)).rejects.toThrow(/already retracted/);
    await until(() => hook!.messages.some((m) => m.text.includes('retracted')));
    const msg = hook!.messages.find((m) => m.text.includes('retracted'))!.text;
    expect(msg).toContain('x-main');
    expect(msg).toContain('Storm Tests the North Sea Power Links');
  });

  it('onWithdrawn: retract deletes the posts of an article the site takes down; keep (default) leaves them', async () => {
    const t = await start('retract');
    await withdrawArticle(t.h.ctx, ID, 'https://news.example.org/… answers HTTP 410');
    expect((await t.h.ctx.ledger.get(X))!.state).toBe('retracted');
    expect((await t.h.ctx.ledger.get(FB))!.state).toBe('retracted');
    expect(t.h.fakes.twitter.deleted()).toHaveLength(1);
    expect(t.h.fakes.facebook.deletedPosts()).toHaveLength(1);
    expect(hook!.messages.filter((m) => m.text.includes('withdrawn from the site'))).toHaveLength(2);
  });

  it('keeps published posts of a withdrawn article by default', async () => {
    const t = await start();
    await withdrawArticle(t.h.ctx, ID, 'gone from the feed');
    expect((await t.h.ctx.ledger.get(X))!.state).toBe('posted');
    expect(t.h.fakes.twitter.deleted()).toHaveLength(0);
  });

  it('says why the platform refused a delete and keeps the post as posted; a post already gone is retracted', async () => {
    const t = await start();
    const tweet = t.h.fakes.twitter.posts()[0]!;
    // The token was revoked meanwhile: X answers 401, nothing changes here.
    t.h.fakes.twitter.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'revoked');
    await expect(retractPost(t.h.ctx, X_ID)).rejects.toThrow(/X refused to delete .* \(auth\)/);
    expect((await t.h.ctx.ledger.get(X))!.state).toBe('posted');
    expect(t.h.fakes.twitter.posts().map((p) => p.id)).toEqual([tweet.id]);
    t.h.fakes.twitter.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'valid');
    // Someone deleted it on X by hand: retracting still records it, and says so.
    t.h.fakes.twitter.reset();
    const r = await retractPost(t.h.ctx, X_ID);
    expect(r.outcome).toBe('already-gone');
    expect(r.entry.state).toBe('retracted');
  });

  it('refuses to retract what is not published, and says why', async () => {
    hook = await chatHook();
    t = await startConsoleHarness({ yaml: yaml(hook.url) });
    await t.publish('storm.txt');
    await until(async () => (await t!.h.ctx.ledger.get(X))?.state === 'awaiting-approval');
    await expect(retractPost(t.h.ctx, X_ID)).rejects.toThrow(/awaiting-approval, not published/);
    await expect(retractPost(t.h.ctx, 'post-nope')).rejects.toThrow(/not a post id/);
  });

  it('tells the operator once when a post fails for good and when an account needs attention, never a secret', async () => {
    hook = await chatHook();
    t = await startConsoleHarness({ yaml: yaml(hook.url).replace('approval: required', 'approval: none') });
    t.h.fakes.facebook.addFault({
      method: 'POST',
      action: {
        mode: 'respond',
        response: {
          status: 400,
          body: {
            error: {
              message: '(#100) Invalid parameter',
              type: 'OAuthException',
              code: 100,
              fbtrace_id: 'A',
            },
          },
        },
      },
    });
    t.h.fakes.twitter.server.addFault({
      method: 'POST',
      pathPrefix: '/2/tweets',
      action: {
        mode: 'respond',
        response: {
          status: 401,
          body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
        },
      },
    });
    await t.publish('storm.txt');
    await until(() => hook!.messages.length >= 2);
    const failed = hook!.messages.find((m) => m.text.includes('failed for good'))!.text;
    expect(failed).toContain('Facebook account fb-page');
    expect(failed).toContain('(#100) Invalid parameter');
    expect(failed).toContain(`crier retry ${FB_ID}`);
    const attention = hook!.messages.find((m) => m.text.includes('needs attention'))!.text;
    expect(attention).toContain('X account x-main');
    const env = t.h.ctx.env;
    for (const m of hook!.messages)
      for (const [k, v] of Object.entries(env))
        if (/(TOKEN|SECRET|PASSWORD|KEY)$/.test(k) && v) expect(m.text, k).not.toContain(v);
    expect(hook!.messages.filter((m) => m.text.includes('needs attention'))).toHaveLength(1);
  });

  it('redacts every secret of the environment from a message', () => {
    const env = {
      FACEBOOK_PAGE_TOKEN: 'EAAB-secret-token',
      CRIER_OPERATOR_PASSWORD: 'hunter22',
      FACEBOOK_PAGE_ID: '12345',
    };
    expect(redactSecrets('token EAAB-secret-token and hunter22 on page 12345, access_token=abc', env)).toBe(
      'token [redacted] and [redacted] on page 12345, access_token=[redacted]',
    );
  });
});
