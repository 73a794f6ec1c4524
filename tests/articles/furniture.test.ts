import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanArticle,
  cleanArticleLines,
  cleanArticleText,
  normalizeLine,
  splitLines,
} from '../../src/articles/clean.js';
import { feedEntries } from '../../src/articles/feed.js';
import { bareLine, isFurnitureLine, isJsSpace, partsUpTo, wordCount } from '../../src/articles/furniture.js';
import { articleFromHtml } from '../../src/articles/html.js';
import { removeFurnitureBoxes } from '../../src/articles/html-furniture.js';
import { parseHtmlDocument } from '../../src/articles/html-text.js';
import { articlesFromFeed } from '../../src/articles/read.js';
import { trimParagraphTail } from '../../src/articles/tails.js';
import { fixture } from '../fixtures/index.js';
import { seededStrings } from '../helpers/strings.js';

const dir = fixture('furniture');
const read = (file: string) => readFileSync(resolve(dir, file), 'utf8');
const feed = (file: string) => articlesFromFeed(read(file), { source: file });

/** What a follower must never see, whatever the language or the source kind. */
const FURNITURE = [
  /appeared first on|est apparu en premier|erschien zuerst|se publicó primero|sembra essere il primo|apareceu primeiro|verscheen eerst/i,
  /(?:continue reading|read more|weiterlesen|leer más|leia mais|lees verder)\s*[»→]?\s*$/im,
  /\[(?:…|\.\.\.|&hellip;|&#8230;)]/,
  /share this|like this|like loading|click to share|opens in new window|related posts?\b|^related$/im,
  /subscribe to our newsletter|sign up for our|about the author|filed under|tagged:|\b\d+ comments\b/i,
  /\bcookies?\b|advertisement|leave a reply/i,
  /^(?:twitter|facebook|linkedin|email|print)$/im,
];

function expectNoFurniture(text: string | undefined, where: string) {
  for (const re of FURNITURE) expect(text ?? '', `${where}: ${re}`).not.toMatch(re);
}

describe('furniture lines', () => {
  it.each([
    'Share this:',
    'Like Loading...',
    'Related',
    'Related posts:',
    '[Related: Council budget passes after late-night vote]',
    'Related coverage from How to Do Everything: Money:',
    'Click to share on Twitter (Opens in new window)',
    'Click to email a link to a friend (Opens in new window)',
    'Click to print (Opens in new window)',
    'Subscribe to our newsletter',
    'Subscribe',
    'SUBSCRIBE',
    'Subscribe to WIRED and stay smart with more of your favorite Ideas writers.',
    'Sign up for our daily newsletter and get every story in your inbox.',
    'You can also subscribe to this newsletter here.',
    'About the author',
    'About the Author',
    'Filed under: Politics | Tagged: budget, council',
    'Filed under: Khawarij |',
    'Posted in Transport',
    'Tags: roads, water',
    '3 Comments',
    '12 comments',
    'One thought on “Tram line to the hospital opens a year early”',
    '3 thoughts on “Tram line to the hospital opens a year early”',
    'Leave a Reply',
    'Your email address will not be published. Required fields are marked *',
    'This site uses Akismet to reduce spam. Learn how your comment data is processed.',
    'We use cookies to improve your experience on our site.',
    'By continuing to browse this site you agree to our use of cookies.',
    'Advertisement',
    '— ADVERTISEMENT —',
    'Scroll to continue with content',
    'THE CREATIVE FORAGER was originally published in Invironment on Medium, where people are continuing the conversation by highlighting and responding to this story.',
  ])('drops %j', (line) => {
    expect(isFurnitureLine(line)).toBe(true);
  });

  it.each([
    'The company will share its results with investors on Monday.',
    'The newsletter, launched in 2019, now has 40,000 subscribers.',
    'Readers who subscribe to the newsletter pay five euros a month, the publisher said.',
    'Related to each other: for example, a caching server and a web server',
    'Posted in the wrong envelope, the ballot was rejected.',
    'About the authorities’ response, the mayor said little.',
    'Comments made by the minister on Tuesday angered farmers.',
    'Shares in the company fell 4% after the announcement.',
    'Click here, the campaign urged, and thousands did.',
    'Tagged sharks are tracked by satellite for up to two years.',
    'Cookies and biscuits sold out at the fair by noon.',
  ])('keeps %j', (line) => {
    expect(isFurnitureLine(line)).toBe(false);
  });
});

describe('feed footers and excerpt tails', () => {
  const body = 'The council voted on Tuesday to build the bridge across the river.';

  it.each([
    ['en', 'The post Bridge approved appeared first on Riverside Courier.'],
    ['fr', 'L’article Pont approuvé est apparu en premier sur Le Courrier.'],
    ['fr (older)', 'Cet article Pont approuvé est apparu en premier sur Le Courrier.'],
    ['de', 'Der Beitrag Brücke genehmigt erschien zuerst auf Stadtblatt.'],
    ['es', 'La entrada Puente aprobado se publicó primero en El Correo.'],
    ['it', "L'articolo Ponte approvato sembra essere il primo su Il Corriere."],
    ['it (older)', "L'articolo Ponte approvato proviene da Il Corriere."],
    ['pt', 'O post Ponte aprovada apareceu primeiro em O Correio.'],
    ['nl', 'Het bericht Brug goedgekeurd verscheen eerst op De Koerier.'],
    ['domain as site', 'The post Bridge approved appeared first on RiversideCourier.com.'],
  ])('drops the WordPress feed footer (%s), alone or glued to the last paragraph', (_, footer) => {
    expect(cleanArticleText(`${body}\n\n${footer}`)).toBe(body);
    expect(cleanArticleText(`${body} ${footer}`)).toBe(body);
  });

  it('keeps sentences that only look like the footer', () => {
    const text = [
      'The post office appeared first on the list of closures published on Monday.',
      'A tecnologia apareceu primeiro em telefones celulares e depois em computadores.',
      'The rest of the article follows here, with the details of every branch affected.',
    ].join('\n\n');
    expect(cleanArticleText(text)).toBe(text);
  });

  it.each([
    ['Excerpt of the story, cut here [&#8230;]', 'Excerpt of the story, cut here…'],
    ['Excerpt of the story, cut here […]', 'Excerpt of the story, cut here…'],
    ['Excerpt of the story, cut here [...]', 'Excerpt of the story, cut here…'],
    ['A whole sentence. […]', 'A whole sentence.'],
    ['A whole sentence. Continue reading →', 'A whole sentence.'],
    ['A whole sentence. Continue reading “Bridge approved” →', 'A whole sentence.'],
    ['A whole sentence… Continue reading', 'A whole sentence…'],
    ['A whole sentence. Read more »', 'A whole sentence.'],
    ['A whole sentence. [Read more]', 'A whole sentence.'],
    ['A whole sentence. … Continue reading', 'A whole sentence.'],
    ['Une phrase entière. Lire la suite →', 'Une phrase entière.'],
    ['Ein ganzer Satz. Weiterlesen »', 'Ein ganzer Satz.'],
    ['Una frase entera. Leer más', 'Una frase entera.'],
    ['Una frase intera. Continua a leggere →', 'Una frase intera.'],
    ['Uma frase inteira. Leia mais', 'Uma frase inteira.'],
    ['Een hele zin. Lees verder →', 'Een hele zin.'],
    ['Read more', ''],
  ])('trims %j', (paragraph, trimmed) => {
    expect(trimParagraphTail(paragraph)).toBe(trimmed);
  });

  it('trims "Continue reading <title>" with the title unquoted when the title is known', () => {
    expect(
      trimParagraphTail('A whole sentence. Continue reading Bridge approved', { title: 'Bridge approved' }),
    ).toBe('A whole sentence.');
  });

  it.each([
    'Officials urged residents to read more.',
    'The shop sells apples, pears and more.',
    'She told him to keep reading.',
    'He kept on reading more and more.',
  ])('keeps the sentence %j', (sentence) => {
    expect(trimParagraphTail(sentence)).toBe(sentence);
  });

  it('reports a trimmed read-more link as a truncated text', () => {
    expect(cleanArticle(`${body} Continue reading →`)).toEqual({ text: body, truncated: true });
    expect(cleanArticle(body)).toEqual({ text: body, truncated: false });
  });
});

describe('boxes after the article', () => {
  const article = [
    'The lifeboat crew launched at 2.14pm and reached the two kayakers within twelve minutes of the call.',
    'Both were wearing buoyancy aids and were taken to hospital as a precaution, the coastguard said.',
  ];

  it('drops an author bio, a share bar and related links with their headings', () => {
    const text = [
      ...article,
      'About the author',
      'Eilidh MacLeod covers the harbour and the islands for Harbour Notes.',
      'Share this:',
      'Twitter',
      'Facebook',
      'Related',
      'Ferry timetable changes from Monday',
      'In "News"',
    ].join('\n\n');
    expect(cleanArticleText(text)).toBe(article.join('\n\n'));
  });

  it('keeps what follows a heading when it is the rest of the article, not a box', () => {
    const rest = Array.from(
      { length: 6 },
      (_, i) =>
        `Paragraph ${i + 1} of the article goes on with the story, with enough words to count as text.`,
    );
    const text = [...article, 'Related', ...rest].join('\n\n');
    expect(cleanArticleText(text)).toBe([...article, ...rest].join('\n\n'));
  });

  it('keeps "Like this:" when what follows is the article (a code example)', () => {
    const text = [
      'You can chain the calls in a single line.',
      'Like this:',
      'client.connect().then(run);',
    ].join('\n\n');
    expect(cleanArticleText(text)).toBe(text);
  });

  it('keeps an elision mark on its own line inside quoted output', () => {
    const text = 'Push the change:\n\n$ hg push\n[...]\nadded 1 changesets with 1 changes to 1 files';
    expect(cleanArticleText(text)).toBe(
      'Push the change:\n\n$ hg push [...] added 1 changesets with 1 changes to 1 files',
    );
  });

  it('keeps a network name that heads its own paragraph in an article about networks', () => {
    const text = [
      'Three networks dominate how people here get their news.',
      'Facebook',
      'Facebook still reaches most adults, though fewer young people use it every day.',
      'Twitter',
      'Twitter is where journalists and politicians argue in public.',
    ].join('\n\n');
    expect(cleanArticleText(text)).toBe(text);
  });
});

describe('feeds with furniture (fixtures)', () => {
  const manifest = JSON.parse(read('manifest.json')) as Array<{ file: string; items: number }>;

  it.each(manifest.filter((m) => !m.file.endsWith('.html')).map((m) => [m.file, m.items] as const))(
    '%s: every item, text and description, without furniture',
    (file, items) => {
      const articles = feed(file);
      expect(articles).toHaveLength(items);
      for (const a of articles) {
        expect(a.text.length).toBeGreaterThan(40);
        expectNoFurniture(a.text, `${file} "${a.title}" text`);
        expectNoFurniture(a.description, `${file} "${a.title}" description`);
      }
    },
  );

  it('RSS: the article ends at its last sentence (Jetpack blocks and the footer gone)', () => {
    const [bridge, bakery, newsletter] = feed('wordpress-yoast-rss2.xml');
    expect(bridge!.text.split('\n\n')).toHaveLength(4);
    expect(bridge!.text).toMatch(/share its construction schedule with residents next month\.$/);
    expect(bridge!.description).toMatch(/ending a debate that began in 2019\.$/);
    expect(bakery!.text).toBe(
      'A family bakery on Mill Lane has beaten forty entries to win the regional rye bread prize, three years after it nearly closed.',
    );
    expect(newsletter!.text).toMatch(/will publish their accounts in the spring issue\.$/);
  });

  it('keeps the sentences of an article that is about a newsletter and about sharing', () => {
    const [, , newsletter] = feed('wordpress-yoast-rss2.xml');
    expect(newsletter!.text).toContain(
      'The newsletter, printed on a borrowed press and delivered by volunteers',
    );
    expect(newsletter!.text).toContain('Readers who want to share a story can leave it at the library desk.');
    expect(newsletter!.text).toContain('they told their neighbours to subscribe.”');
    expect(newsletter!.text).toContain('The editors plan to share the running costs with the parish council');
    const [, orchard] = feed('newsroom-feed.json');
    expect(orchard!.text.split('\n\n')).toEqual([
      'The Northfield orchard cooperative will share its profits with seasonal pickers for the first time this year, its members agreed on Friday.',
      "Under the plan, a tenth of the year's surplus goes into a fund shared between everyone who worked at least four weeks of the harvest. The company will share its results with the pickers' union before the fund is paid out in November.",
      'The cooperative also voted to launch a monthly newsletter for its 140 members, and to let pickers subscribe to it free of charge.',
    ]);
  });

  it('six languages: the excerpt without its read-more link and translated footer', () => {
    const texts = feed('wordpress-translations-rss2.xml').map((a) => a.text);
    expect(texts.map((t) => t.slice(-24))).toEqual([
      'places assises à partir de 49 euros.'.slice(-24),
      'Tickets gibt es ab 39 Euro.'.slice(-24),
      'sin trenes directos entre las dos capitales.'.slice(-24),
      'con una nuova fermata a Verona.'.slice(-24),
      'depois de seis anos de suspensão.'.slice(-24),
      'Kaartjes kosten vanaf 59 euro.'.slice(-24),
    ]);
  });

  it('Atom: "Continue reading <title>" goes from the summary; the content loses its ad label, bio, pitch and count', () => {
    const [lifeboat, ferry] = feed('blog-atom.xml');
    expect(lifeboat!.text.split('\n\n')).toHaveLength(4);
    // A sentence that happens to say "read more" stays.
    expect(lifeboat!.text).toMatch(/urged anyone going out this weekend to read more about local tides/);
    expect(lifeboat!.description).toBe(
      'Two kayakers were pulled from the water off Gull Point on Wednesday afternoon after their boats overturned in a sudden squall.',
    );
    expect(ferry!.text).toMatch(/to connect with the first train south\.$/);
  });

  it('JSON Feed: share buttons, cookie banner, related posts and the footer go', () => {
    const [library] = feed('newsroom-feed.json');
    expect(library!.text.split('\n\n')).toHaveLength(3);
    expect(library!.text).toMatch(/said library director Samuel Osei\.$/);
  });

  it('an excerpt whose read-more link was cut is still an excerpt (its page is fetched for the full text)', () => {
    const words = Array.from({ length: 140 }, (_, i) => `word${i}`).join(' ');
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
<item><title>Long excerpt</title><link>https://t.example/a</link><description><![CDATA[<p>${words}. <a href="https://t.example/a">Continue reading &rarr;</a></p>]]></description></item>
</channel></rss>`;
    const [entry] = feedEntries(xml, { source: 'long.xml' });
    expect(entry!.article.text).not.toMatch(/Continue reading/);
    expect(entry!.excerptOnly).toBe(true);
  });

  it('the older fixture feed: share-bar names and the footer no longer reach the text', () => {
    const [, ship] = articlesFromFeed(readFileSync(fixture('feeds', 'wordpress-rss2.xml')), {
      source: 'wp',
    });
    expect(ship!.text).toMatch(/how fast it is melting\.$/);
    expect(ship!.description).toBe(
      'The crew of the RV Aurora came home with 3,000 water samples and a new map of the sea floor.',
    );
  });
});

describe('article pages with furniture boxes (fixtures)', () => {
  const url = 'https://riverside-courier.example/2026/02/20/tram-line-hospital-opens/';

  it('Readability path: the five paragraphs of the article and nothing else', () => {
    const a = articleFromHtml(read('wordpress-jetpack-page.html'), { url, source: 'jetpack.html' });
    const paragraphs = a.text.split('\n\n');
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]).toMatch(/^The tram extension to the regional hospital will carry/);
    expect(paragraphs[4]).toMatch(/until the end of the year\.$/);
    expect(a.text).toContain('It will share the final accounts with the city council in May.');
    expectNoFurniture(a.text, 'jetpack page');
    for (const f of [
      'Mark T.',
      'parking at the new stops',
      'morning briefing',
      'Valley Evening Post',
      'trams,',
    ])
      expect(a.text).not.toContain(f);
    // Metadata is read before the boxes go: the tag links still give tags.
    expect(a.tags).toEqual(expect.arrayContaining(['trams', 'hospital']));
    expect(a.author).toBe('Priya Natarajan');
  });

  it('fallback path (too short for Readability): the brief alone, its boxes gone', () => {
    const a = articleFromHtml(read('short-brief-page.html'), {
      url: 'https://northfieldledger.example/brief',
      source: 'brief.html',
    });
    expect(a.text).toBe(
      'Station Road reopened at noon on Friday after crews repaired a burst water main. Homes on the road have water again.',
    );
    expect(a.title).toBe('Water main repaired on Station Road');
  });

  it('removes the boxes by class and id before extraction', () => {
    const doc = parseHtmlDocument(read('wordpress-jetpack-page.html'), url);
    expect(removeFurnitureBoxes(doc)).toBeGreaterThanOrEqual(8);
    const body = doc.body.textContent ?? '';
    for (const box of [
      '.sharedaddy',
      '#jp-relatedposts',
      '.newsletter-signup',
      '.author-bio',
      '.post-tags',
      '#comments',
      '#cookie-notice',
      '.ad-slot',
    ])
      expect(doc.querySelector(box), box).toBeNull();
    expect(body).toContain('The tram extension to the regional hospital');
    expect(body).toContain('Fares stay the same as on the rest of the network.');
  });

  it('never removes the article: whole-name matches only, and no box that holds the article', () => {
    const story =
      '<p>The harbour wall will be rebuilt over two summers, the port authority said, at a cost of 9 million euros. Work starts in May.</p>';
    const html = `<html><body>
      <div class="comments-closed shared-content">${story}</div>
      <div id="comments"><article><h1>Harbour wall to be rebuilt</h1>${story}</article></div>
      <div class="related">${story.repeat(4)}</div>
    </body></html>`;
    const doc = parseHtmlDocument(html, 'https://port.example/wall');
    expect(removeFurnitureBoxes(doc)).toBe(0);
    expect(doc.querySelectorAll('p')).toHaveLength(6);
  });
});

describe('cleaning lines already split', () => {
  it('gives what cleaning the text gives, for texts with furniture, boxes, contacts and odd spacing', () => {
    const texts = [
      '',
      'Share this:\nTwitter\nFacebook',
      'Headline\r\n\r\nFirst  paragraph\u00a0here, with  a \u200bbreak.\r\nStill the first.\n\nSecond one. Call 555-123-4567 for more.\n\nRelated\nOther story',
      'One per line.\nAnother line.\tTabbed.\nThe post A appeared first on B.',
      `${'Long article sentence goes on. '.repeat(30)}\n\nAbout the author\nJane writes things.`,
    ];
    for (const text of texts) expect(cleanArticleLines(splitLines(text))).toEqual(cleanArticle(text));
    expect(cleanArticleLines([])).toEqual(cleanArticle(''));
  });
});

describe('normalizeLine', () => {
  it('drops invisible characters, turns controls into spaces, squashes spaces and trims; plain lines stay', () => {
    const cases: Array<[string, string]> = [
      ['Plain line, one space each.', 'Plain line, one space each.'],
      [' lead', 'lead'],
      ['trail ', 'trail'],
      ['two  spaces', 'two spaces'],
      ['tab\there', 'tab here'],
      ['nbsp\u00a0and\u3000ideographic', 'nbsp and ideographic'],
      ['zero\u200bwidth soft\u00adhyphen', 'zerowidth softhyphen'],
      ['\ufeffbom', 'bom'],
      ['bidi\u202eoverride\u2066isolate', 'bidioverrideisolate'],
      ['control\u0001char', 'control char'],
      ['a \u200b b', 'a b'],
      ['joiner\u200dstays', 'joiner\u200dstays'],
    ];
    for (const [line, want] of cases) expect(normalizeLine(line)).toBe(want);
  });
});

describe('wordCount', () => {
  it('counts what whitespace of any kind separates', () => {
    const reference = (s: string) => s.split(/\s+/).filter(Boolean).length;
    const cases = [
      '',
      ' ',
      'one',
      ' one two ',
      'a\tb\nc\rd',
      'a\u00a0b\u3000c\u2028d',
      'a\u200bb',
      'x  \u2003 y',
      '😀 é',
    ];
    for (const s of cases) expect(wordCount(s)).toBe(reference(s));
    expect(wordCount('Three words here')).toBe(3);
  });
});

describe('character scans that stand in for regular expressions', () => {
  it('isJsSpace is \\s, for every UTF-16 code unit', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isJsSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
  });

  it('bareLine trims what the two patterns trimmed', () => {
    const byPattern = (s: string) => s.replace(/[\s:.!|»>•·–—→›…-]+$/u, '').replace(/^[\s•·|»>–—→›-]+/u, '');
    const pieces = [
      'a',
      ' ',
      '\u00a0',
      '\u3000',
      ':',
      '.',
      '!',
      '|',
      '»',
      '>',
      '•',
      '·',
      '–',
      '—',
      '→',
      '›',
      '…',
      '-',
      'Share',
      '[',
      ']',
      '(',
      ')',
      '\n',
    ];
    for (const s of seededStrings(7, 4000, pieces, 12)) {
      const inner = /^\[([^[\]]*)\]$|^\(([^()]*)\)$/u.exec(byPattern(s));
      // Lines in brackets are unwrapped and trimmed again: compare the first trim only.
      if (inner) continue;
      expect(bareLine(s), JSON.stringify(s)).toBe(byPattern(s));
    }
    expect(bareLine('— Advertisement —')).toBe('Advertisement');
    expect(bareLine('[Related: Budget talks resume »]')).toBe('Related: Budget talks resume');
  });

  it('partsUpTo counts the parts of a split on spaces, bars, dots and commas, up to its limit', () => {
    const pieces = ['Share', ' ', '|', '·', '•', ',', '\u00a0', 'a', 'Tweet', '\n'];
    for (const s of seededStrings(11, 3000, pieces, 25)) {
      const parts = s.split(/[\s|·•,]+/).filter(Boolean).length;
      expect(partsUpTo(s, 9), JSON.stringify(s)).toBe(Math.min(parts, 9));
    }
  });
});
