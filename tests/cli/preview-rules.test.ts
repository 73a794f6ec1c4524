import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  blueskyProblems,
  mastodonCount,
  mastodonProblems,
  type PreviewRecord,
  previewProblems,
} from '../../scripts/previews/rules.js';
import { runCli } from '../helpers/cli.js';
import { scaled } from '../helpers/wait.js';

const fixture = (name: string) => resolve('tests/fixtures/previews', name);
const PLATFORMS = 'twitter,facebook,linkedin,bluesky,mastodon';
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A link facet over `part` of `text`, with byte offsets as Bluesky counts them. */
const linkFacet = (text: string, part: string, uri = part) => {
  const at = text.indexOf(part);
  const byteStart = bytes(text.slice(0, at));
  return {
    index: { byteStart, byteEnd: byteStart + bytes(part) },
    features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
  };
};
const tagFacet = (text: string, tag: string) => {
  const f = linkFacet(text, `#${tag}`);
  return { ...f, features: [{ $type: 'app.bsky.richtext.facet#tag', tag }] };
};

describe('the independent preview rules (scripts/previews/rules.ts) catch what they are for', () => {
  const text = 'Café reopens — read more: https://ex.com/a #news';

  it('accepts the documented example: link facet 29–45, tag 46–51', () => {
    const facets = [linkFacet(text, 'https://ex.com/a'), tagFacet(text, 'news')];
    expect(facets.map((f) => [f.index.byteStart, f.index.byteEnd])).toEqual([
      [29, 45],
      [46, 51],
    ]);
    expect(blueskyProblems({ platform: 'bluesky', text, facets })).toEqual([]);
  });

  it('refuses UTF-16 offsets, overlaps, a cut character, a missing facet, a long tag and an over-long text', () => {
    const utf16 = {
      index: { byteStart: 26, byteEnd: 42 },
      features: linkFacet(text, 'https://ex.com/a').features,
    };
    expect(
      blueskyProblems({ platform: 'bluesky', text, facets: [utf16, tagFacet(text, 'news')] }).join(),
    ).toMatch(/not its link/);
    const overlap = { index: { byteStart: 40, byteEnd: 51 }, features: tagFacet(text, 'news').features };
    expect(
      blueskyProblems({
        platform: 'bluesky',
        text,
        facets: [linkFacet(text, 'https://ex.com/a'), overlap],
      }).join(),
    ).toMatch(/overlaps/);
    const cut = { index: { byteStart: 3, byteEnd: 4 }, features: tagFacet(text, 'news').features };
    expect(blueskyProblems({ platform: 'bluesky', text, facets: [cut] }).join()).toMatch(/cuts a character/);
    expect(blueskyProblems({ platform: 'bluesky', text, facets: [] }).join()).toMatch(
      /link "https:\/\/ex.com\/a" is not a link facet.*hashtag "#news" is not a tag facet/,
    );
    const longTag = `#${'a'.repeat(65)}`;
    expect(
      blueskyProblems({
        platform: 'bluesky',
        text: `x ${longTag}`,
        facets: [tagFacet(`x ${longTag}`, 'a'.repeat(65))],
      }).join(),
    ).toMatch(/65 graphemes > 64/);
    // 300 family emoji (11 UTF-16 units, 25 bytes each) are 300 graphemes but 7500 bytes.
    const family = '👨‍👩‍👧‍👦'.repeat(300);
    expect(blueskyProblems({ platform: 'bluesky', text: family }).join()).toMatch(/7500 bytes > 3000/);
    expect(blueskyProblems({ platform: 'bluesky', text: `${family}!` }).join()).toMatch(
      /301 graphemes > 300/,
    );
  });

  it("counts Mastodon's way: graphemes, every URL 23 (a unicode path too), and refuses a cut sentence", () => {
    expect(mastodonCount('é\u0301 👨‍👩‍👧‍👦 https://ex.org/köln-日本語/straße.')).toBe(1 + 1 + 1 + 1 + 23 + 1);
    expect(
      mastodonProblems({
        platform: 'mastodon',
        text: `${'x'.repeat(476)} https://ex.org/${'y'.repeat(300)}`,
      }),
    ).toEqual([]);
    expect(mastodonProblems({ platform: 'mastodon', text: `${'x'.repeat(478)} https://ex.org/a` })).toEqual([
      'mastodon: 502 characters (links as 23) > 500',
    ]);
    const record: PreviewRecord = {
      article: { title: 'T', text: 'The storm hit the coast on Sunday night and the power failed.' },
      posts: [
        {
          platform: 'mastodon',
          text: 'The storm hit the coast on Sun',
          summary: 'The storm hit the coast on Sun',
        },
      ],
    };
    expect(previewProblems(record).join()).toMatch(
      /stops inside a sentence.*not in the article \(cut\?\): Sun/,
    );
  });
});

// Five CLI processes that each load jsdom: they run side by side, with a deadline for five of them.
describe('crier preview --jsonl for all five platforms, checked by the independent rules', {
  timeout: scaled(90_000),
}, () => {
  it('emoji, combining marks, CJK, right-to-left text and a long unicode link: every post fit to send', async () => {
    const files = ['emoji', 'combining', 'cjk', 'rtl'].map((n) => fixture(`${n}.html`));
    const runs = [
      ...files.map((f) => [
        '--url',
        `https://news.example.org/2026/11/${f.split('/').pop()}-ünïcødé-日本`,
        f,
      ]),
      [fixture('longurl.html')], // its own canonical link: 330 characters once percent-encoded
    ];
    const results = await Promise.all(
      runs.map((args) =>
        runCli(['preview', '--jsonl', '--platforms', PLATFORMS, ...args], {}, { deadlineMs: 60_000 }),
      ),
    );
    for (const [i, r] of results.entries()) {
      const args = runs[i]!;
      expect(r.code, r.stderr).toBe(0);
      const records = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as PreviewRecord);
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record!.posts!.map((p) => p.platform).sort()).toEqual(PLATFORMS.split(',').sort());
      expect(previewProblems(record!), args.at(-1)).toEqual([]);
    }
  });
});
