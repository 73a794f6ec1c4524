import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalKey } from '../../src/articles/article.js';
import { hasContact, scrubContacts } from '../../src/articles/contacts.js';
import { isFurnitureLine } from '../../src/articles/furniture.js';
import { articleFromText, cleanArticleText, readSource, SourceError } from '../../src/articles/read.js';
import { ARTICLE, ARTICLE_TITLE } from '../fixtures/index.js';

const seedPath = ARTICLE;
const seedRelative = 'tests/fixtures/articles/furnished.txt';
const seed = readFileSync(seedPath, 'utf8');

const SEED_FURNITURE = [
  'Skip to content',
  'With inputs from Northbridge Evening Post.',
  'Northbridge Daily Wire on Facebook',
  'Northbridge Daily Wire on Twitter',
  'Northbridge Daily Wire on Linkedin',
  'Contact us',
  'Leave a comment',
];

describe('the seed article (plain text)', () => {
  const a = articleFromText(seed, {
    source: seedRelative,
    url: 'https://example.org/macron',
  });
  const paragraphs = a.text.split('\n\n');

  it('takes the first non-furniture line as the exact headline', () => {
    expect(a.title).toBe(ARTICLE_TITLE);
  });

  it('keeps the first and last real paragraphs whole', () => {
    expect(paragraphs[0]).toBe(
      'A standoff that has shut half of Northbridge’s commuter lines for a week may be about to ease. Mayor Adaeze Chinwe Okafor has asked the two rail unions to return to the negotiating table on Monday, even as drivers prepare for a second, longer walkout. Transport analysts say the offer could decide whether the city gets through the winter without weeks of empty platforms.',
    );
    expect(paragraphs.at(-1)).toBe(
      'Meanwhile, the second walkout remains planned for 2 December, and the unions say it will last five days unless a written offer arrives before then.',
    );
    expect(paragraphs).toHaveLength(10);
  });

  it('drops every furniture line and the e-mail address', () => {
    for (const f of SEED_FURNITURE) expect(a.text).not.toContain(f);
    expect(a.text).not.toMatch(/@|desk\.northbridge/);
    expect(a.text).not.toContain(a.title);
  });

  it('keeps names, numbers and quotes intact', () => {
    for (const s of [
      'GBP 1,200 a month',
      '16-24 year olds',
      'After 140 apprentices in 2026',
      '“Trains do not run on promises.',
    ]) {
      expect(a.text).toContain(s);
    }
  });

  it('uses the given URL as link and identity', () => {
    expect(a.url).toBe('https://example.org/macron');
    expect(a.key).toBe(canonicalKey('https://example.org/macron'));
    expect(a.id).toMatch(/^a[0-9a-f]{16}$/);
  });

  it('without a URL gets the file: URL of the source, stable across reads', async () => {
    const [viaRead] = await readSource(seedRelative, { baseDir: process.cwd() });
    expect(viaRead!.url).toBe(pathToFileURL(seedPath).href);
    expect(viaRead!.key).toBe(pathToFileURL(seedPath).href);
    const [again] = await readSource(seedPath);
    expect(again!.id).toBe(viaRead!.id);
    expect(viaRead!.title).toBe(a.title);
  });

  it('readSource passes the caller URL through for text sources', async () => {
    const [withUrl] = await readSource(seedPath, {
      kind: 'text',
      url: 'https://example.org/x?utm_source=feed',
    });
    expect(withUrl!.url).toBe('https://example.org/x?utm_source=feed');
    expect(withUrl!.key).toBe('https://example.org/x');
  });
});

describe('furniture lines', () => {
  it.each([
    'Skip to main content',
    'Share on Facebook',
    'Click to share on Twitter (Opens in new window)',
    'Follow us on Instagram',
    // Every platform of the registry is a share network (src/articles/furniture.ts reads their labels).
    'Share on Mastodon',
    'Share on Bluesky',
    'Follow us on X and LinkedIn',
    'The Daily Planet on Twitter',
    'Leave a Reply',
    '12 Comments',
    'Contact us: editor@example.com',
    'Email: newsdesk@example.com',
    'Tel: +44 20 7946 0958',
    'kousdas@gmail.com',
    '(With inputs from PTI)',
    'With agency inputs',
    '(Reporting by Jane Doe in Paris; Editing by John Smith)',
    'Photo: Reuters',
    'Advertisement',
    'Story continues below advertisement',
    'Also read: Ten things to know about the budget',
    'Sign up for our morning newsletter',
    '© 2024 Example Media. All rights reserved.',
    'The contents of this site are ©2019 Capitol Hill Publishing Corp., a subsidiary of News Communications, Inc.',
    'By Paul Takahashi',
    'By Jane Doe - Nov. 18, 2019',
    'Published 4:00 am CST, Wednesday, November 20, 2019',
    'Home » News » Politics',
    'Whatsapp Facebook Pinterest Email',
    'twitter.com/janedoe',
    'This website uses cookies to improve your experience.',
  ])('%s', (line) => {
    expect(isFurnitureLine(line)).toBe(true);
  });

  it.each([
    'By nightfall, the troops had left the city.',
    'By Monday, the deal was signed by 5 p.m.',
    'Reporting by the BBC found that 3 in 10 hospitals lacked staff.',
    'He announced the decision on Twitter.',
    'Source: a person familiar with the matter said the deal was off.',
    'Copyright law in the EU changed in 2019.',
    'Comments from the minister drew a sharp response from the opposition.',
    'Home prices rose 4% last year.',
  ])('keeps the sentence: %s', (line) => {
    expect(isFurnitureLine(line)).toBe(false);
  });
});

describe('contact details', () => {
  it('removes addresses and phone numbers from a sentence and tidies what is left', () => {
    expect(scrubContacts('Readers can write to the editor at letters@example.com with corrections.')).toBe(
      'Readers can write to the editor with corrections.',
    );
    expect(scrubContacts('For help, call the hotline on +1 (555) 123-4567 before noon.')).toBe(
      'For help, call the hotline before noon.',
    );
    expect(scrubContacts('Tips (tips [at] example [dot] com) are welcome.')).toBe('Tips are welcome.');
    expect(scrubContacts('Call 555-123-4567 or 020 7946 0958 today.')).not.toMatch(/\d{3}/);
    // After a phone label even a 7-digit local number goes; the label stays in the sentence.
    expect(scrubContacts('For tickets, call 555-0199 before Friday.')).toBe(
      'For tickets, call before Friday.',
    );
  });

  it('never touches years, prices, ranges and counts', () => {
    const s =
      'After 3,000 volunteers in 2026, 4,000 in 2027 and 42,500 by 2035, at EUR 800 a month for 18-25 year olds (2019-2020), up 1.5%.';
    expect(scrubContacts(s)).toBe(s);
    expect(hasContact(s)).toBe(false);
  });
});

describe('cleanArticleText', () => {
  it('normalises whitespace: NBSP, tabs, CRLF, zero-width characters', () => {
    expect(cleanArticleText('First\u00a0line\there.\r\n\r\nSecond\u200b para  graph.\r\n')).toBe(
      'First line here.\n\nSecond para graph.',
    );
  });

  it('joins hard-wrapped lines of a paragraph when paragraphs are blank-line separated', () => {
    expect(cleanArticleText('One long\nwrapped paragraph.\n\nAnother one.')).toBe(
      'One long wrapped paragraph.\n\nAnother one.',
    );
  });

  it('treats each line as a paragraph when the text has no blank lines, even around dropped furniture', () => {
    expect(cleanArticleText('First paragraph.\nShare on Facebook\nSecond paragraph.\nThird paragraph.')).toBe(
      'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.',
    );
  });

  it('drops a sentence that carries an address or a phone number whole, and keeps the others', () => {
    expect(
      cleanArticleText(
        'The mayor spoke on Monday about the new bridge and its cost. Residents can write to help@city.gov or call 555-123-4567 for updates. The vote is next week, officials said.',
      ),
    ).toBe(
      'The mayor spoke on Monday about the new bridge and its cost. The vote is next week, officials said.',
    );
  });

  it('drops a short paragraph that was only contact details once they are scrubbed', () => {
    expect(
      cleanArticleText(
        'Real news here, and more of it.\n\nThe Hill, 1625 K Street NW | tel 202-628-8500 | fax 202-628-8503',
      ),
    ).toBe('Real news here, and more of it.');
  });
});

describe('articleFromText edge cases', () => {
  it('takes a "By <Name>" line under the headline as the author', () => {
    const a = articleFromText('Headline here\n\nBy Jane Doe\n\nBody text of the story.', { source: 's.txt' });
    expect([a.title, a.author, a.text]).toEqual(['Headline here', 'Jane Doe', 'Body text of the story.']);
  });

  it('uses the first sentence as the title when the text starts with a paragraph', () => {
    const long = `${'The council met on Tuesday to vote on the new budget for the coming year. '.repeat(4)}`;
    const a = articleFromText(`${long}\n\nSecond paragraph.`, {
      source: 's.txt',
      url: 'https://example.org/a',
    });
    expect(a.title).toBe('The council met on Tuesday to vote on the new budget for the coming year.');
    expect(a.text.startsWith('The council met')).toBe(true);
  });

  it('fails with an "empty" SourceError for furniture only or a headline alone', () => {
    const err = (t: string) => {
      try {
        articleFromText(t, { source: 'empty.txt' });
      } catch (e) {
        return e;
      }
      return undefined;
    };
    for (const t of ['Skip to content\n\nLeave a comment\n', 'Just a headline\n\nShare on Facebook']) {
      const e = err(t);
      expect(e).toBeInstanceOf(SourceError);
      expect(e).toMatchObject({ code: 'empty', source: 'empty.txt' });
      expect((e as Error).message).toMatch(/^empty\.txt: /);
    }
  });

  it('reports a missing file as not-found, naming it', async () => {
    await expect(readSource('no/such/article.txt', { baseDir: '/tmp' })).rejects.toMatchObject({
      name: 'SourceError',
      code: 'not-found',
      source: 'no/such/article.txt',
    });
  });
});
