import { JSDOM } from 'jsdom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import type { LedgerRef } from '../../src/ledger/ledger.js';
import { sliceBytes } from '../../src/platforms/bluesky/richtext.js';
import type { MastodonFake } from '../../src/platforms/mastodon/fake.js';
import { publishJobId } from '../../src/queue/names.js';
import {
  CONSOLE_CONFIG_ALL_PLATFORMS,
  type ConsoleClient,
  type ConsoleHarness,
  STORM_URL,
  startConsoleHarness,
} from '../helpers/console.js';
import { until } from '../helpers/pipeline.js';

const ID = articleId(canonicalKey(STORM_URL));
const X: LedgerRef = { articleId: ID, platform: 'twitter', account: 'x-main' };
const LI: LedgerRef = { articleId: ID, platform: 'linkedin', account: 'li-page' };
const X_ID = publishJobId(ID, 'x-main');
const LI_ID = publishJobId(ID, 'li-page');
const FB_ID = publishJobId(ID, 'fb-page');

describe('console: queue, previews, edit, approval (real Redis, BullMQ, fakes)', () => {
  let t: ConsoleHarness;
  let c: ConsoleClient;
  beforeEach(async () => {
    t = await startConsoleHarness();
    c = await t.login();
    await t.publish('storm.txt');
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'awaiting-approval');
    await until(async () => t.h.fakes.facebook.posts().length === 1);
    await until(async () => (await t.h.ctx.ledger.get(LI)) !== null);
  });
  afterEach(() => t?.close());

  it('lists every post not sent, per account, with its state and time in the schedule zone (slots too)', async () => {
    const res = await c.get('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Storm Tests the North Sea Power Links, and the Backup Holds');
    expect(html).toContain('awaiting approval');
    expect(html).toContain('1 post awaits your approval.');
    // LinkedIn takes the next 08:00 slot in Paris: its time is shown, not "-".
    expect(html).toMatch(/posting slot/);
    expect(html).toMatch(/08:00 <span class="muted">\(Europe\/Paris\)<\/span>/);
    // Facebook went out at once: not in the queue.
    expect(html).not.toContain(`href="/posts/${FB_ID}"`);
    const week = await (await c.get('/calendar')).text();
    expect(week).toContain('(today)');
    expect(week).toContain(`href="/posts/${LI_ID}"`);
    expect(week).toContain('Not on the calendar'); // the post awaiting approval has no time yet
  });

  it('shows the post as followers see it: X with its weighted count and the t.co link, LinkedIn folded with its card', async () => {
    const x = await (await c.get(`/posts/${X_ID}`)).text();
    const entry = (await t.h.ctx.ledger.get(X))!;
    expect(x).toMatch(/\d+\/280 weighted characters/);
    expect(x).toContain('>news.example.org/2026/11/…</a>'); // as X shows the link
    expect(x).toContain(`href="${STORM_URL}"`);
    expect(x).toContain('Approve');
    expect(entry.post.text).toContain(STORM_URL);
    // Facebook: the message, then the link card from the page's og: tags (domain as Facebook writes it).
    const fb = new JSDOM(await (await c.get(`/posts/${FB_ID}`)).text()).window.document;
    const card = fb.querySelector('.preview.facebook a.card');
    expect(card?.getAttribute('href')).toBe(STORM_URL);
    expect(card?.querySelector('.domain')?.textContent).toBe('NEWS.EXAMPLE.ORG');
    expect(card?.querySelector('.card-title')?.textContent).toBe(
      'Storm Tests the North Sea Power Links, and the Backup Holds',
    );
    expect(card?.querySelector('.card-desc')?.textContent).toMatch(/winter storm/);
    const li = await (await c.get(`/posts/${LI_ID}`)).text();
    expect(li).toContain('…see more');
    expect(li).toContain('class="card"');
    expect(li).toContain('news.example.org');
  });

  it('refuses an edit past 280 weighted characters with the count, and keeps a valid one', async () => {
    const csrf = await c.csrf(`/posts/${X_ID}`);
    const long = `${'The storm tested every link and the backup held. '.repeat(6).trim()}\n\n${STORM_URL}`;
    const refused = await c.post(`/posts/${X_ID}/edit`, { _csrf: csrf, text: long });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toMatch(/X post is (\d+)\/280 weighted characters/);
    const n = Number(/X post is (\d+)\/280/.exec(page)![1]);
    expect(n).toBeGreaterThan(280);
    expect(page).toContain(`shorten it by ${n - 280}`);
    expect((await t.h.ctx.ledger.get(X))!.post.text).not.toBe(long);

    const noLink = await c.post(`/posts/${X_ID}/edit`, { _csrf: csrf, text: 'The backup held.' });
    expect(noLink.status).toBe(422);
    expect(await noLink.text()).toContain('the article link must stay in the post');
    const cut = await c.post(`/posts/${X_ID}/edit`, {
      _csrf: csrf,
      text: `The backup held and the\n\n${STORM_URL}`,
    });
    expect(await cut.text()).toContain('ends mid-sentence');

    const text = `Editors' pick: the North Sea links held through the storm.\n\n${STORM_URL}`;
    const ok = await c.post(`/posts/${X_ID}/edit`, { _csrf: csrf, text });
    expect(ok.status).toBe(303);
    const e = (await t.h.ctx.ledger.get(X))!;
    expect(e.post.text).toBe(text);
    expect(e.editedAt).toBeDefined();
    expect(await (await c.get(ok.headers.get('location')!)).text()).toContain('Saved:');

    // A correction of the article keeps the operator's text and says so.
    await t.publish('storm-corrected.txt');
    await until(async () => Boolean((await t.h.ctx.ledger.get(X))?.articleChangedAt));
    expect((await t.h.ctx.ledger.get(X))!.post.text).toBe(text);
    expect(await (await c.get(`/posts/${X_ID}`)).text()).toContain('Article changed since your edit');
    // The post not edited takes the correction.
    await until(async () => (await t.h.ctx.ledger.get(LI))!.post.text !== undefined);
  });

  it('escapes LinkedIn reserved characters in an edit and keeps hashtags', async () => {
    const csrf = await c.csrf(`/posts/${LI_ID}`);
    const res = await c.post(`/posts/${LI_ID}/edit`, {
      _csrf: csrf,
      text: 'Grid operators (Denmark, Germany) said the links held. #Energy',
    });
    expect(res.status).toBe(303);
    expect((await t.h.ctx.ledger.get(LI))!.post.text).toBe(
      'Grid operators \\(Denmark, Germany\\) said the links held. #Energy',
    );
    const page = await (await c.get(`/posts/${LI_ID}`)).text();
    expect(page).toContain('Grid operators (Denmark, Germany) said the links held.');
  });

  it('approves a post: it reaches the fake platform; a post awaiting approval is never sent by a retry', async () => {
    const csrf = await c.csrf(`/posts/${X_ID}`);
    const retry = await c.post(`/posts/${X_ID}/retry`, { _csrf: csrf });
    expect(retry.status).toBe(303);
    expect(await (await c.get(`/posts/${X_ID}`)).text()).toContain('is awaiting approval');
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);

    const res = await c.post(`/posts/${X_ID}/approve`, { _csrf: csrf }, { referer: `${t.server.url}/` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'posted');
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
    expect(t.h.fakes.twitter.posts()[0]!.text).toContain('North Sea');
  });

  it('rejects a post: cancelled, never sent', async () => {
    const csrf = await c.csrf(`/posts/${X_ID}`);
    expect((await c.post(`/posts/${X_ID}/reject`, { _csrf: csrf })).status).toBe(303);
    const e = (await t.h.ctx.ledger.get(X))!;
    expect(e.state).toBe('cancelled');
    expect(e.error).toBe('rejected by the operator');
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
  });

  it('runs every operator command from the page with the same effect as the CLI', async () => {
    const csrf = await c.csrf('/');
    // hold, then release at a time given in the account's zone
    expect((await c.post(`/posts/${LI_ID}/hold`, { _csrf: csrf })).status).toBe(303);
    expect((await t.h.ctx.ledger.get(LI))!.heldAt).toBeDefined();
    expect(await (await c.get('/')).text()).toMatch(/state-held/);
    await c.post(`/posts/${LI_ID}/release`, { _csrf: csrf, at: '2099-06-01T09:30' });
    const released = (await t.h.ctx.ledger.get(LI))!;
    expect(released.heldAt).toBeUndefined();
    expect(released.at).toBe('2099-06-01T07:30:00.000Z'); // 09:30 in Paris, summer time
    await c.post(`/posts/${LI_ID}/reschedule`, { _csrf: csrf, at: '2099-12-01T08:00' });
    expect((await t.h.ctx.ledger.get(LI))!.at).toBe('2099-12-01T07:00:00.000Z');
    const job = await t.h.ctx.queues.publish.linkedin.getJob(LI_ID);
    expect(await job?.getState()).toBe('delayed');
    await c.post(`/posts/${LI_ID}/cancel`, { _csrf: csrf });
    expect((await t.h.ctx.ledger.get(LI))!.state).toBe('cancelled');
    expect(await t.h.ctx.queues.publish.linkedin.getJob(LI_ID)).toBeUndefined();
    // retry queues the cancelled post again
    await c.post(`/posts/${LI_ID}/retry`, { _csrf: csrf });
    await until(async () => (await t.h.ctx.ledger.get(LI))?.state === 'posted');
    expect(t.h.fakes.linkedin.posts()).toHaveLength(1);
    // pause and resume an account
    expect((await c.post('/accounts/x-main/pause', { _csrf: csrf })).status).toBe(303);
    expect((await t.h.ctx.accountStates.get('x-main')).health).toBe('paused');
    expect(await (await c.get('/')).text()).toContain('Resume x-main');
    await c.post('/accounts/x-main/resume', { _csrf: csrf });
    expect((await t.h.ctx.accountStates.get('x-main')).health).toBe('ok');
    // A refused command says why, on the page.
    const bad = await c.post(`/posts/${LI_ID}/hold`, { _csrf: csrf });
    expect(await (await c.get(bad.headers.get('location')!)).text()).toContain('is already posted');
  });

  it('says when a post waits for its account: rate-limited until T, needs attention and what to do', async () => {
    const csrf = await c.csrf('/');
    await c.post(`/posts/${LI_ID}/reschedule`, { _csrf: csrf, at: '2099-06-01T09:30' });
    const until = Date.parse('2099-06-02T10:00:00Z');
    await t.h.ctx.accountStates.setRateLimited('li-page', until, 'LinkedIn daily limit reached');
    const row = async () =>
      new JSDOM(await (await c.get('/')).text()).window.document.getElementById(`row-${LI_ID}`)
        ?.textContent ?? '';
    expect(await row()).toContain('rate-limited until Tue 2 Jun, 12:00');
    expect(await row()).toContain('LinkedIn daily limit reached');
    await t.h.ctx.accountStates.setNeedsAttention(
      'li-page',
      'token expired',
      'reconnect the LinkedIn app',
      'fp',
    );
    expect(await row()).toContain('needs attention');
    expect(await row()).toContain('token expired → reconnect the LinkedIn app');
  });

  it('shows the posts sent with their platform links, what happened to the article, and account health', async () => {
    const fb = (await t.h.ctx.ledger.get({ articleId: ID, platform: 'facebook', account: 'fb-page' }))!;
    expect(fb.url).toMatch(/^https:\/\//);
    const history = await (await c.get('/history')).text();
    expect(history).toContain(`href="${fb.url}"`);
    expect(history).toContain('Storm Tests the North Sea Power Links');

    const found = await c.get(`/articles/find?ref=${encodeURIComponent(STORM_URL)}`);
    expect(found.status).toBe(303);
    expect(found.headers.get('location')).toBe(`/articles/${ID}`);
    const article = new JSDOM(await (await c.get(`/articles/${ID}`)).text()).window.document;
    const rows = [...article.querySelectorAll('tbody tr')].map((r) => r.textContent ?? '');
    expect(rows.find((r) => r.includes('fb-page'))).toContain(fb.url);
    expect(rows.find((r) => r.includes('x-main'))).toContain('awaiting approval');
    expect(rows.find((r) => r.includes('li-page'))).toMatch(/waiting|slot/);
    const bad = await c.get('/articles/find?ref=not-an-article');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('neither an article id');
    expect((await c.get('/articles/a0000000000000000')).status).toBe(404);

    await c.post('/accounts/li-page/pause', { _csrf: await c.csrf('/accounts') });
    const accounts = new JSDOM(await (await c.get('/accounts')).text()).window.document;
    const li = [...accounts.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes('li-page'))!;
    expect(li.textContent).toContain('paused');
    expect(li.textContent).toContain('resume it when its posts may go again');
    expect(li.querySelector('button')?.textContent).toBe('Resume');
  });

  it('refuses every action without a session, and without the CSRF token: nothing changes', async () => {
    const actions = [
      [`/posts/${X_ID}/approve`, {}],
      [`/posts/${X_ID}/reject`, {}],
      [`/posts/${X_ID}/edit`, { text: `Short.\n\n${STORM_URL}` }],
      [`/posts/${LI_ID}/hold`, {}],
      [`/posts/${LI_ID}/cancel`, {}],
      [`/posts/${LI_ID}/reschedule`, { at: '2099-01-01T10:00' }],
      [`/posts/${LI_ID}/retry`, {}],
      [`/posts/${LI_ID}/release`, {}],
      [`/posts/${X_ID}/retract`, {}],
      ['/accounts/x-main/pause', {}],
      ['/accounts/x-main/resume', {}],
    ] as const;
    const before = JSON.stringify([await t.h.ctx.ledger.get(X), await t.h.ctx.ledger.get(LI)]);
    for (const [path, form] of actions) {
      const anonymous = await fetch(`${t.server.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      expect(anonymous.status, path).toBe(401);
      expect((await c.post(path, form)).status, `${path} without CSRF`).toBe(403);
      const csrf = await c.csrf('/');
      expect((await c.post(path, { ...form, _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(
        403,
      );
    }
    const strip = (s: string) => s.replace(/"updatedAt":"[^"]*"/g, '');
    expect(strip(JSON.stringify([await t.h.ctx.ledger.get(X), await t.h.ctx.ledger.get(LI)]))).toBe(
      strip(before),
    );
    expect((await t.h.ctx.accountStates.get('x-main')).health).toBe('ok');
    for (const page of ['/', '/calendar', `/posts/${X_ID}`, '/history', '/accounts', `/articles/${ID}`]) {
      const res = await fetch(`${t.server.url}${page}`, { redirect: 'manual' });
      expect(res.status, page).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/login/);
    }
  });
});

const graphemes = (s: string) =>
  [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(s)].length;

describe('console: Bluesky and Mastodon posts, previewed and edited by their own rules', () => {
  const BSKY: LedgerRef = { articleId: ID, platform: 'bluesky', account: 'bsky' };
  const MASTO: LedgerRef = { articleId: ID, platform: 'mastodon', account: 'masto' };
  const BSKY_ID = publishJobId(ID, 'bsky');
  const MASTO_ID = publishJobId(ID, 'masto');
  const OG_IMAGE = 'https://news.example.org/images/2026/11/storm-links.jpg';
  let t: ConsoleHarness;
  let c: ConsoleClient;
  beforeEach(async () => {
    t = await startConsoleHarness({ yaml: CONSOLE_CONFIG_ALL_PLATFORMS });
    // This instance takes statuses of up to 700 characters (GET /api/v2/instance says so).
    (t.h.fakes.get('mastodon').fake as MastodonFake).state.config.maxCharacters = 700;
    c = await t.login();
    await t.publish('storm.html');
    await until(async () => (await t.h.ctx.ledger.get(BSKY))?.state === 'awaiting-approval');
    await until(async () => (await t.h.ctx.ledger.get(MASTO))?.state === 'awaiting-approval');
  });
  afterEach(() => t?.close());

  const page = async (id: string) => new JSDOM(await (await c.get(`/posts/${id}`)).text()).window.document;

  it('previews Bluesky: graphemes out of 300, links and hashtags from the facets, the external card', async () => {
    const entry = (await t.h.ctx.ledger.get(BSKY))!;
    let doc = await page(BSKY_ID);
    let preview = doc.querySelector('.preview.bluesky')!;
    expect(preview.getAttribute('aria-label')).toBe('Preview on Bluesky for bsky');
    expect(preview.querySelector('[data-count]')?.textContent).toBe(
      `${graphemes(entry.post.text)}/300 graphemes`,
    );
    expect(preview.querySelector('.body a[data-facet="link"]')?.getAttribute('href')).toBe(STORM_URL);
    const card = preview.querySelector('a.card')!;
    expect(card.getAttribute('href')).toBe(STORM_URL);
    expect(card.querySelector('img')?.getAttribute('src')).toBe(OG_IMAGE);
    expect(card.querySelector('.card-title')?.textContent).toBe(
      'Storm Tests the North Sea Power Links, and the Backup Holds',
    );
    expect(card.querySelector('.card-desc')?.textContent).toMatch(/first real test, and the backup held/);
    expect(card.querySelector('.domain')?.textContent).toBe('news.example.org');
    expect(doc.querySelector('label[for="text"]')?.textContent).toBe('Post text on Bluesky');

    // An edit with accents, an emoji and hashtags: its facets are derived again, in UTF-8 bytes.
    const csrf = await c.csrf(`/posts/${BSKY_ID}`);
    const text = `Énergie ⚡ — the links held through the storm. #NorthSea #Grid\n\n${STORM_URL}`;
    const ok = await c.post(`/posts/${BSKY_ID}/edit`, { _csrf: csrf, text });
    expect(ok.status).toBe(303);
    const edited = (await t.h.ctx.ledger.get(BSKY))!.post;
    expect(edited.text).toBe(text);
    const at = (s: string) => Buffer.byteLength(text.slice(0, text.indexOf(s)));
    expect(
      edited.facets?.map((f) => [f.index.byteStart, sliceBytes(text, f.index.byteStart, f.index.byteEnd)]),
    ).toEqual([
      [at('#NorthSea'), '#NorthSea'],
      [at('#Grid'), '#Grid'],
      [at(STORM_URL), STORM_URL],
    ]);
    doc = await page(BSKY_ID);
    preview = doc.querySelector('.preview.bluesky')!;
    expect([...preview.querySelectorAll('.body [data-facet="tag"]')].map((e) => e.textContent)).toEqual([
      '#NorthSea',
      '#Grid',
    ]);
    expect(preview.querySelector('[data-count]')?.textContent).toBe(`${graphemes(text)}/300 graphemes`);
    expect(
      [...preview.querySelectorAll('[data-facet-range]')].map((e) => e.getAttribute('data-facet-range')),
    ).toEqual(edited.facets?.map((f) => `${f.index.byteStart}-${f.index.byteEnd}`));

    // Past 300 graphemes: refused with the count, the text kept as it was.
    const long = `${'The storm tested every link and the backup held. '.repeat(6).trim()}\n\n${STORM_URL}`;
    const refused = await c.post(`/posts/${BSKY_ID}/edit`, { _csrf: csrf, text: long });
    expect(refused.status).toBe(422);
    const n = graphemes(long);
    expect(await refused.text()).toContain(`Bluesky post is ${n}/300 graphemes: shorten it by ${n - 300}`);
    expect((await t.h.ctx.ledger.get(BSKY))!.post.text).toBe(text);
  });

  it("previews Mastodon out of the instance's limit with links as 23, its link card and visibility; edits are held to that limit", async () => {
    const entry = (await t.h.ctx.ledger.get(MASTO))!;
    let preview = (await page(MASTO_ID)).querySelector('.preview.mastodon')!;
    const count = preview.querySelector('[data-count]')?.textContent ?? '';
    expect(count).toMatch(/^\d+\/700 characters$/);
    // Every link counts 23, whatever its length.
    const withoutLink = entry.post.text.replace(STORM_URL, '');
    expect(Number(count.split('/')[0])).toBe(graphemes(withoutLink) + 23);
    expect(preview.textContent).toContain('links count 23 each');
    const link = preview.querySelector('.body a')!;
    expect(link.getAttribute('href')).toBe(STORM_URL);
    expect(link.textContent).toBe('news.example.org/2026/11/storm…'); // as Mastodon shows it
    const card = preview.querySelector('a.card')!;
    expect(card.getAttribute('href')).toBe(STORM_URL);
    expect(card.querySelector('.card-title')?.textContent).toBe(
      'Storm Tests the North Sea Power Links, and the Backup Holds',
    );
    expect(card.querySelector('img')?.getAttribute('src')).toBe(OG_IMAGE);
    expect(preview.querySelector('[data-visibility]')?.getAttribute('data-visibility')).toBe('unlisted');
    expect(preview.querySelector('[data-visibility]')?.textContent).toContain('Quiet public');
    expect(preview.querySelector('[data-visibility]')?.textContent).toContain('language en');

    // 600 characters: over Mastodon's default 500, within this instance's 700.
    const csrf = await c.csrf(`/posts/${MASTO_ID}`);
    const sentence = 'The storm tested every link and the backup held. ';
    const text = `${sentence.repeat(11).trim()}\n\n${STORM_URL}`;
    expect(graphemes(text.replace(STORM_URL, '')) + 23).toBeGreaterThan(500);
    const ok = await c.post(`/posts/${MASTO_ID}/edit`, { _csrf: csrf, text });
    expect(ok.status).toBe(303);
    expect((await t.h.ctx.ledger.get(MASTO))!.post.text).toBe(text);
    preview = (await page(MASTO_ID)).querySelector('.preview.mastodon')!;
    expect(preview.querySelector('[data-count]')?.textContent).toBe(
      `${graphemes(text.replace(STORM_URL, '')) + 23}/700 characters`,
    );
    const long = `${sentence.repeat(15).trim()}\n\n${STORM_URL}`;
    const n = graphemes(long.replace(STORM_URL, '')) + 23;
    const refused = await c.post(`/posts/${MASTO_ID}/edit`, { _csrf: csrf, text: long });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(
      `Mastodon post is ${n}/700 characters (every link counts 23): shorten it by ${n - 700}`,
    );
    // The live count while typing says the same.
    const measured = await c.post(`/posts/${MASTO_ID}/measure`, { _csrf: csrf, text: long });
    expect(((await measured.json()) as { count: string }).count).toBe(`${n}/700 characters`);
  });

  it("the style sheet carries each platform's preview styles", async () => {
    const css = await (await c.get('/assets/console.css')).text();
    for (const name of ['x', 'facebook', 'linkedin', 'bluesky', 'mastodon'])
      expect(css, name).toContain(`.preview.${name} .avatar`);
  });
});

describe('console: article markup is shown as text, never run', () => {
  let t: ConsoleHarness;
  afterEach(() => t?.close());

  it('escapes titles and texts with script, onerror and javascript: links on every page', async () => {
    t = await startConsoleHarness({ yaml: CONSOLE_CONFIG_ALL_PLATFORMS });
    const url = 'https://news.example.org/2026/11/hostile';
    const id = articleId(canonicalKey(url));
    await t.publish('hostile.html', url);
    for (const [platform, account] of [
      ['twitter', 'x-main'],
      ['bluesky', 'bsky'],
      ['mastodon', 'masto'],
    ] as const)
      await until(async () => (await t.h.ctx.ledger.get({ articleId: id, platform, account })) !== null);
    const c = await t.login();
    const xId = publishJobId(id, 'x-main');
    const bskyId = publishJobId(id, 'bsky');
    const mastoId = publishJobId(id, 'masto');
    // The operator's own text with markup is text too.
    const hostileEdit = `<script>alert("edit")</script> javascript:alert(1) <b onmouseover=alert(2)>held</b> #tag.\n\n${url}`;
    for (const postId of [xId, bskyId, mastoId]) {
      const res = await c.post(`/posts/${postId}/edit`, {
        _csrf: await c.csrf(`/posts/${postId}`),
        text: hostileEdit,
      });
      expect(res.status, postId).toBe(303);
    }
    for (const path of [
      '/',
      '/calendar',
      `/posts/${xId}`,
      `/posts/${publishJobId(id, 'li-page')}`,
      `/posts/${bskyId}`,
      `/posts/${mastoId}`,
      `/articles/${id}`,
    ]) {
      const html = await (await c.get(path)).text();
      expect(html, path).not.toMatch(/<script>alert|<img src=x|<b onmouseover/);
      // As a browser parses it: the console's own script only, no event handler, no javascript: link.
      const doc = new JSDOM(html).window.document;
      expect(
        [...doc.querySelectorAll('script')].map((e) => e.getAttribute('src')),
        path,
      ).toEqual(['/assets/console.js']);
      for (const el of doc.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames())
          expect(attr.startsWith('on'), `${path}: ${el.outerHTML}`).toBe(false);
        for (const a of ['href', 'src', 'action'])
          expect(el.getAttribute(a) ?? '', path).not.toMatch(/^\s*javascript:/i);
      }
    }
    // Shown, as characters, exactly as the article and the operator wrote them.
    const doc = new JSDOM(await (await c.get(`/posts/${xId}`)).text()).window.document;
    expect(doc.querySelector('h1')?.textContent).toBe(
      '<script>alert("title")</script> Grid <img src=x onerror=alert("img")> Storm',
    );
    expect(doc.querySelector('.preview .body')?.textContent).toContain(
      '<script>alert("edit")</script> javascript:alert(1)',
    );
    expect(doc.querySelector('textarea')?.value).toContain('<b onmouseover=alert(2)>held</b> #tag.');
    for (const [postId, name] of [
      [bskyId, 'bluesky'],
      [mastoId, 'mastodon'],
    ]) {
      const preview = new JSDOM(await (await c.get(`/posts/${postId}`)).text()).window.document.querySelector(
        `.preview.${name}`,
      );
      expect(preview?.querySelector('.body')?.textContent, name).toContain(
        '<script>alert("edit")</script> javascript:alert(1) <b onmouseover=alert(2)>held</b> #tag.',
      );
      expect(preview?.querySelector('.card-title')?.textContent, name).toBe(
        '<script>alert("title")</script> Grid <img src=x onerror=alert("img")> Storm',
      );
    }
  });
});
