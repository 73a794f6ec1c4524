import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Post } from '../../src/core/post.js';
import { sliceBytes } from '../../src/platforms/bluesky/richtext.js';
import type { PlatformRules } from '../../src/summaries/platforms/types.js';
import { annotated, askedRules, pinnedRules, rulesOf } from '../../src/summaries/rules.js';
import { checkPostText, countText } from '../../src/summaries/validate.js';

const LINK = 'https://news.example.org/2026/11/storm-power-links';
const LONG_LINK = `https://news.example.org/2026/11/${'very-long-slug-'.repeat(8)}end`;

describe('the validator asks the platform: Bluesky', () => {
  const check = (text: string) => checkPostText({ platform: 'bluesky', link: LINK }, text);

  it('counts graphemes out of 300, links in full: "N/300 graphemes"', () => {
    // 🇳🇴 is one grapheme (two code points); "é" one.
    const text = `Norway 🇳🇴 covered the gap, said Solberg. Énergie held.\n\n${LINK}`;
    const c = check(text);
    expect(c.ok).toBe(true);
    expect(c.count).toBe(`${[...new Intl.Segmenter().segment(text)].length}/300 graphemes`);
  });

  it('refuses a text over 300 graphemes with its count, and one over 3000 bytes', () => {
    const long = `${'The storm tested every link and the backup held. '.repeat(6).trim()}\n\n${LINK}`;
    const n = [...new Intl.Segmenter().segment(long)].length;
    expect(n).toBeGreaterThan(300);
    expect(check(long).problems).toEqual([`Bluesky post is ${n}/300 graphemes: shorten it by ${n - 300}`]);
    // 200 family emoji: 200 graphemes, 25 bytes each.
    const heavy = `${'👨‍👩‍👧‍👦'.repeat(200)} held.\n\n${LINK}`;
    const r = check(heavy);
    expect(r.length).toBeLessThanOrEqual(300);
    const bytes = Buffer.byteLength(heavy);
    expect(r.problems).toEqual([
      `Bluesky post is ${bytes}/3000 bytes (UTF-8): shorten it by ${bytes - 3000} bytes`,
    ]);
  });

  it('keeps the link in the text (it becomes a link facet) and refuses a cut sentence', () => {
    expect(check('The backup held.').problems).toEqual([`the article link must stay in the post: ${LINK}`]);
    expect(check(`The backup held and the\n\n${LINK}`).problems[0]).toMatch(/ends mid-sentence/);
  });
});

describe('the validator asks the platform: Mastodon', () => {
  it('counts every link as 23 out of the instance limit: "N/500 characters"', () => {
    const text = `The grid held.\n\n${LONG_LINK}`;
    const c = checkPostText({ platform: 'mastodon', link: LONG_LINK }, text);
    expect(c).toMatchObject({ ok: true, length: 14 + 2 + 23, count: '39/500 characters' });
  });

  it('counts a remote mention as its local part, as Mastodon does', () => {
    const text = `Thanks @ops@grid.example.social, the links held.\n\n${LINK}`;
    const c = checkPostText({ platform: 'mastodon', link: LINK }, text);
    expect(c.length).toBe([...'Thanks @ops, the links held.\n\n'].length + 23);
  });

  it("holds an edit to the account's limit: pinned, or the instance's", async () => {
    const config = parseConfig(
      `
site: { name: S, url: https://news.example.org }
accounts:
  - { id: big, platform: mastodon, maxCharacters: 1000 }
  - { id: asked, platform: mastodon }
`,
      '/test/crier.yaml',
    );
    const [big, asked] = config.accounts;
    const text = `${'The storm tested every link and the backup held. '.repeat(12).trim()}\n\n${LINK}`;
    const platformOnly = checkPostText({ platform: 'mastodon', link: LINK }, text);
    expect(platformOnly.ok).toBe(false);
    expect(platformOnly.problems[0]).toBe(
      `Mastodon post is ${platformOnly.length}/500 characters (every link counts 23): shorten it by ${platformOnly.length - 500}`,
    );
    expect(checkPostText({ platform: 'mastodon', link: LINK }, text, pinnedRules(big!))).toMatchObject({
      ok: true,
      count: `${platformOnly.length}/1000 characters`,
    });
    // An instance that cannot be asked leaves the platform's limit, as composing does.
    const rules = await askedRules(asked!, {
      MASTODON_URL: 'https://127.0.0.1:1',
      MASTODON_ACCESS_TOKEN: 't',
    });
    expect(rules.maxLength).toBe(500);
  });
});

describe('the validator names no platform: a platform it has never heard of', () => {
  const rules: PlatformRules = {
    ...rulesOf('facebook'),
    maxLength: 40,
    counted: { noun: 'letters', links: 'links count 10' },
    accepts: (text) => !text.includes('forbidden'),
  };

  it('words the count and the limit with its rules, and gives a generic reason when it refuses', () => {
    const post = { platform: 'facebook' as const, link: LINK };
    expect(countText('Short.', rules).count).toBe('6/40 letters');
    expect(checkPostText(post, `${'a'.repeat(45)}.`, rules).problems).toEqual([
      'Facebook post is 46/40 letters (links count 10): shorten it by 6',
    ]);
    expect(checkPostText(post, 'A forbidden word.', rules).problems).toEqual(['Facebook refuses this text']);
  });
});

describe('annotate: an edited text gets the facets of its own text', () => {
  it('drops the old facets and derives new ones, byte offsets included', () => {
    const rules = rulesOf('bluesky');
    const composed = annotated(rules, {
      platform: 'bluesky',
      account: 'b',
      articleId: 'a',
      articleKey: 'k',
      text: `Held. #Grid\n\n${LINK}`,
      summary: 'Held.',
      link: LINK,
      hashtags: ['#Grid'],
      article: { url: LINK, title: 'T' },
    } satisfies Post);
    const text = `Énergie ⚡ — the links held. #NorthSea\n\n${LINK}`;
    const edited = annotated(rules, { ...composed, text });
    expect(edited.facets?.map((f) => sliceBytes(text, f.index.byteStart, f.index.byteEnd))).toEqual([
      '#NorthSea',
      LINK,
    ]);
    expect(edited.facets?.[0]?.index.byteStart).toBe(Buffer.byteLength('Énergie ⚡ — the links held. '));
    // Without links or hashtags, no facets at all (never the old text's).
    expect(annotated(rules, { ...composed, text: 'Held.' }).facets).toBeUndefined();
    // A platform that derives nothing keeps the post as it is.
    expect(annotated(rulesOf('facebook'), { ...composed, platform: 'facebook' }).facets).toBeUndefined();
  });
});
