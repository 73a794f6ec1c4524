import { PLATFORM_LIST } from '../platforms/registry.js';
import { hasContact, hasEmail } from './contacts.js';
import { MEDIUM_FOOTER, WORDPRESS_FOOTER } from './tails.js';

/**
 * Site furniture: lines a page wraps around an article that are never article text
 * (navigation, share links, comment prompts, contact lines, credit lines, ad labels, newsletter pitches).
 *
 * Every rule matches a whole line and is bounded in length, so a real sentence that merely starts
 * with one of these words ("By nightfall...", "Reporting by the BBC found...") stays.
 */

/** Other networks share bars carry, and X's former name. */
const OTHER_NETWORKS = [
  'twitter',
  'instagram',
  'youtube',
  'whatsapp',
  'pinterest',
  'telegram',
  'reddit',
  'tiktok',
  'threads',
  'flipboard',
  'google news',
  'email',
  'e-mail',
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');

/** Networks a page offers to share on or follow: the platforms Crier publishes to (by label) and the others. */
const SOCIAL = `(?:${[...PLATFORM_LIST.map((p) => p.label.toLowerCase()), ...OTHER_NETWORKS].map(escapeRegExp).join('|')})`;

/** Whole lines that are furniture (compared without surrounding punctuation, case-insensitively). */
const EXACT_LINES = [
  // navigation
  'skip to (?:the )?(?:main )?(?:content|navigation|menu|search|footer|article)',
  'skip navigation|jump to (?:main )?(?:navigation|content|comments)|toggle (?:navigation|menu)',
  'main menu|menu|search|close|home|back to top|top',
  // share and comment prompts
  'share|tweet|email|e-mail|print|pin it|save|copy link|link copied|whatsapp',
  `share this(?: article| story| post| page)?|share (?:on|via) ${SOCIAL}(?: \\(opens in new window\\))?`,
  '(?:leave|post|add|write) a (?:comment|reply)|\\d+ comments?|comments?|view comments|show comments',
  'no comments(?: yet)?|comments are closed|cancel reply|leave a reply cancel reply',
  '(?:\\d+|no|one|two|three) (?:comments?|responses?|replies|thoughts?)(?: (?:on|to) ["“‘\'].{1,200}["”’\'])?',
  'join the (?:conversation|discussion)|(?:view|show|read|see|load) (?:all )?(?:\\d+ )?comments|comments \\(\\d+\\)',
  'like loading(?:\\.\\.\\.|…)?|be the first to like this|(?:\\d+ )?(?:bloggers|people) like this',
  // ad labels and teasers
  'advertisement|advert|advertising|ad|sponsored(?: content)?|story continues below(?: advertisement)?',
  'continue reading(?: below| the main story)?|article continues below(?: this ad)?',
  'scroll to continue(?: with content)?|ad feedback|report (?:this )?ad|remove ads',
  'tags|topics|caption|hide caption|toggle caption|enlarge this image|this slideshow requires javascript',
  '(?:image|photo|picture|slide) \\d+ (?:of|/) ?/? ?\\d+',
  'read more|read also|also read|see also|related(?: articles| stories| posts| news| content| coverage| reading| links| topics| videos)?',
  "you (?:may|might) also (?:like|enjoy|be interested in)|more stories|read next|up next|what to read next|don[’']t miss",
  // newsletter and subscription boxes, author boxes
  'subscribe(?: now| today| here)?|sign up(?: now)?|sign in|log in|newsletters?|(?:our|free|daily|weekly) newsletter',
  'about the (?:author|authors|writer|reporter|contributor)|author bio',
  // "Filed under" / "Tagged" lines with nothing after them
  'filed under|posted in|tagged(?: with)?|categories|category',
  // cookie banners
  'accept(?: all)?(?: cookies)?|reject all|manage (?:cookies|cookie settings|consent|preferences)|cookie (?:consent|preferences)',
  'recommended(?: for you| stories)?|more from .{1,40}|trending now|most read|most popular',
  // site links
  `(?:follow|like) us(?: on ${SOCIAL}(?:(?:,| and) ${SOCIAL})*)?`,
  'contact us|about us|privacy policy|terms of (?:use|service)|cookie (?:policy|settings)',
];
const EXACT = new RegExp(`^(?:${EXACT_LINES.join('|')})$`, 'iu');

/** A case-insensitive regex source for plain words, for patterns that must keep \p{Lu} case-sensitive. */
function anyCase(words: string): string {
  return words.replace(/\p{L}/gu, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const CREDIT_VERB = anyCase('(?:(?:additional )?reporting|writing|editing|edited|compiled|produced) by');

/** A capitalised name of one to four words: "Paul Takahashi", "Mary-Jane O’Neil". */
const NAME = String.raw`\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}`;

/** Runs of share-button labels: "Whatsapp Facebook Pint Baixar", "Share Tweet Email". */
const SHARE_WORD = new RegExp(
  `^(?:${SOCIAL}|share|tweet|print|pin|pint|copy|link|sms|messenger|comment|comments|save)$`,
  'iu',
);

/** Breadcrumbs: "Home » News » Politics". */
const BREADCRUMB = /^[^.!?]{1,60}(?:\s[»›>/]\s[^.!?»›>/]{1,60}){2,}$/u;

/** A bare link or handle on its own line: "twitter.com/janedoe", "https://example.com/x", "@janedoe". */
const BARE_LINK =
  /^(?:(?:https?:\/\/)?(?:www\.)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?:\/\S*)?|@[\p{L}\p{N}_]{2,})$/u;

/** Prefix rules: [pattern, most words the line may have]. */
const PREFIXED: Array<[RegExp, number]> = [
  // "<Site> on Facebook", "Click to share on Twitter (Opens in new window)"
  [
    new RegExp(
      String.raw`^(?:click to share|share|follow|find|join|like)?.{0,80}\bon ${SOCIAL}(?: \(opens in new window\))?$`,
      'iu',
    ),
    10,
  ],
  // Contact lines: "Contact us: ...", "Email: ...", "Tel - ..."
  [
    /^(?:contact(?: us| the (?:author|writer|reporter|editor|newsroom))?|for (?:more information|enquiries|inquiries)|e-?mail(?: us)?|mail|tel|telephone|phone|call(?: us)?|mobile|fax|whatsapp|write to us|reach us|send (?:us )?(?:tips|news tips|your feedback))\s*(?::|-|–|—|\bat\b|\bon\b)/iu,
    30,
  ],
  // Credit lines: "With inputs from The Times of India.", "(With agency inputs)"
  [/^\(?\s*(?:with (?:additional )?(?:agency )?inputs?(?: from)?|inputs? from|agency inputs)\b/iu, 25],
  // "Reporting by Jane Doe in Paris; Editing by John Smith" (names only, so a sentence such as
  // "Reporting by the BBC found..." stays)
  [
    new RegExp(
      String.raw`^\(?${CREDIT_VERB}\s+${NAME}(?:\s*(?:,|and|&)\s*${NAME})*(?:\s+in\s+${NAME})?(?:\s*[;,]\s*${CREDIT_VERB}\s.*)?\)?\.?$`,
      'u',
    ),
    40,
  ],
  // "Photo: AP", "Image credit: Reuters", "Source: PTI"
  [/^(?:(?:photo|image|picture|video|graphic)s?(?: credits?| courtesy| source)?|source)\s*:/iu, 8],
  // "Also read: <headline>", "READ MORE | <headline>"
  [
    /^[[(]?\s*(?:also read|read also|read more|related(?: posts?| articles?| stories| story| coverage| reading| links?| videos?)?(?: from [^:|]{1,60})?|see also|watch|listen|must read|recommended)\s*[:|»>–—-]/iu,
    30,
  ],
  // Newsletter and subscription pitches: "Sign up for our newsletter", "Subscribe to WIRED and stay smart..."
  [/^(?:sign up|subscribe|get|join)\b.{0,120}\b(?:newsletter|updates|alerts|briefing|inbox)\b/iu, 30],
  [/^subscribe (?:to|for)\b/iu, 25],
  [
    /\b(?:subscribe|sign up|sign-up|register)\b.{0,30}\b(?:to|for) (?:our|this) (?:[\p{L}-]+ ){0,3}(?:newsletters?|mailing list|podcast|channel)\b/iu,
    35,
  ],
  // Jetpack's share buttons: "Click to email a link to a friend (Opens in new window)", "Click to print"
  [/^click to (?:share|email|print|tweet|pin|save|post)\b.{0,80}$/iu, 14],
  [/\(opens in (?:a )?new (?:window|tab)\)$/iu, 12],
  // "Filed under: Politics | Tagged: budget, council", "Posted in News", "Tags: ..."
  [
    /^(?:filed under|posted (?:in|under)|tagged(?: with| as| in)?|tags|categories|categori[sz]ed as|category|topics)\s*[:|]/iu,
    40,
  ],
  [/^(?:filed under|posted in|posted under)\s+[^.!?]{1,120}$/iu, 15],
  [/^tagged\s+[^.!?]{1,120}[,|][^.!?]{1,120}$/iu, 25],
  // WordPress comment forms
  [
    /^(?:your email address will not be published|required fields are marked|save my name, email,? and website|notify me of (?:new posts|follow-up comments|new comments)|this site uses akismet to reduce spam)/iu,
    30,
  ],
  // Medium's footer: "<Title> was originally published in <Publication> on Medium, where people are ..."
  [MEDIUM_FOOTER, 90],
  // Bylines and datelines: "By Paul Takahashi", "By Jane Doe - 11/18/19 11:04 PM EST", "Published 4:00 am CST, ..."
  [
    new RegExp(
      String.raw`^${anyCase('by')}\s+${NAME}(?:\s*(?:,|and|&)\s*${NAME})*(?:\s*[-–—|,]\s*.*\d[^.!?]*)?$`,
      'u',
    ),
    16,
  ],
  [/^(?:published|updated|posted|last updated|first published|last modified)\b[^.]{0,80}\d/iu, 16],
  // Cookie banners
  [/\b(?:uses?|using) cookies\b/iu, 45],
  [/\bby continuing to (?:browse|use|visit) (?:this|our|the) (?:site|website)\b/iu, 45],
  [
    /^(?:we|this (?:site|website)) (?:and our partners )?(?:use|uses|store|stores) (?:cookies|technologies)\b/iu,
    60,
  ],
  // Copyright footers
  [/^(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4}))/iu, 30],
  [/\ball rights reserved\.?$/iu, 30],
  // "The contents of this site are ©2019 Capitol Hill Publishing Corp." (a footer, wherever the © stands)
  [/©\s?(?:19|20)\d{2}\b/u, 30],
];

/**
 * Whether a UTF-16 code unit is what JavaScript's `\s` matches: tab to carriage return, the space separators
 * (Unicode's Zs: U+0020, U+00A0, U+1680, U+2000–U+200A, U+202F, U+205F, U+3000), the line and paragraph
 * separators U+2028 and U+2029, and U+FEFF. By code, without a regular expression per character.
 */
export function isJsSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x1680) return c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Words of `s` as whitespace separates them (`s.split(/\s+/).filter(Boolean).length`, with no arrays). */
export function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    if (isJsSpace(s.charCodeAt(i))) inWord = false;
    else if (!inWord) {
      inWord = true;
      n += 1;
    }
  }
  return n;
}

/** What ends a line's text: bullets, arrows, separators and closing punctuation ("Share this:", "More »"). */
const TRAILING = new Set([...':.!|»>•·–—→›…-'].map((c) => c.charCodeAt(0)));
/** What leads it: bullets, arrows and dashes ("• Related", "— Advertisement"). */
const LEADING = new Set([...'•·|»>–—→›-'].map((c) => c.charCodeAt(0)));

/**
 * A line without the bullets, arrows and punctuation around it ("— Advertisement —", "Share this:"): what
 * `s.replace(/[\s:.!|»>•·–—→›…-]+$/u, '').replace(/^[\s•·|»>–—→›-]+/u, '')` leaves, scanned from both ends
 * (the end pattern retried its match at every run of spaces or full stops of a long paragraph).
 */
export function bareLine(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (!isJsSpace(c) && !TRAILING.has(c)) break;
    end -= 1;
  }
  let start = 0;
  while (start < end) {
    const c = s.charCodeAt(start);
    if (!isJsSpace(c) && !LEADING.has(c)) break;
    start += 1;
  }
  const bare = start === 0 && end === s.length ? s : s.slice(start, end);
  // "[Related: …]", "(Advertisement)": the brackets around a whole line go too.
  const first = bare.charCodeAt(0);
  const inner = first === 0x5b || first === 0x28 ? /^\[([^[\]]*)\]$|^\(([^()]*)\)$/u.exec(bare) : null;
  const words = inner ? (inner[1] ?? inner[2] ?? '') : '';
  // "[...]" on its own line (an elision in quoted code or a transcript) is not an empty line.
  return /[\p{L}\p{N}]/u.test(words) ? bareLine(words) : bare;
}

const PART_SEPARATORS = new Set([...'|·•,'].map((c) => c.charCodeAt(0)));

/**
 * How many parts `s.split(/[\s|·•,]+/).filter(Boolean)` would give, counting no further than `limit`: a long
 * paragraph is told from a share bar ("Share | Tweet | Email") without cutting it into words.
 */
export function partsUpTo(s: string, limit: number): number {
  let n = 0;
  let inPart = false;
  for (let i = 0; i < s.length && n < limit; i++) {
    const c = s.charCodeAt(i);
    if (isJsSpace(c) || PART_SEPARATORS.has(c)) inPart = false;
    else if (!inPart) {
      inPart = true;
      n += 1;
    }
  }
  return n;
}

/** True for a line (or short paragraph) that is site furniture, never article text. */
export function isFurnitureLine(line: string): boolean {
  const s = line.trim();
  if (!s) return false;
  const bare = bareLine(s);
  if (!bare) return true;
  if (EXACT.test(bare)) return true;
  const words = wordCount(s);
  for (const [re, maxWords] of PREFIXED) if (words <= maxWords && re.test(s)) return true;
  if (words <= 8 && BREADCRUMB.test(s)) return true;
  if (BARE_LINK.test(bare)) return true;
  if (partsUpTo(bare, 9) <= 8) {
    const parts = bare.split(/[\s|·•,]+/).filter(Boolean);
    if (parts.filter((w) => SHARE_WORD.test(w)).length >= Math.max(2, parts.length - 2)) return true;
  }
  // A short line carrying an address or a phone number is a contact line ("kousdas@gmail.com",
  // "Newsroom: +44 20 7946 0958"); long sentences are kept and scrubbed instead.
  if (words <= 12 && (hasEmail(s) || hasContact(s))) return true;
  return false;
}

/**
 * Lines that are furniture only among furniture: a network's bare name ("Twitter", "Facebook": share buttons
 * one per line), "More", "Like this:", a Jetpack related-post category (In "News"), and WordPress's feed
 * footer ("The post <title> appeared first on <Site>."). Alone in the middle of an article they may be a
 * heading or a sentence ("The post office appeared first on the list."), so `cleanArticleText` drops them
 * only next to another furniture line or at the end of the text.
 */
const WEAK = new RegExp(`^(?:${SOCIAL}|more|like this|in ["“][^"”]{1,40}["”])$`, 'iu');

export function isWeakFurnitureLine(line: string): boolean {
  const s = line.trim();
  if (!s || wordCount(s) > 80) return false;
  return WEAK.test(bareLine(s)) || WORDPRESS_FOOTER.test(s);
}

/**
 * Headings that open a box printed after the article: the author's bio, related posts, share and like
 * bars, comments. What follows such a heading to the end of the text is part of the box.
 */
const END_BOX = new RegExp(
  `^(?:${[
    'about the (?:author|authors|writer|reporter|contributor)|author bio',
    'related(?: articles| stories| posts| news| content| coverage| reading| links)?',
    'you (?:may|might) also (?:like|enjoy|be interested in)|more stories|read next|recommended(?: for you| stories)?',
    'share this(?: article| story| post| page)?|like loading(?:\\.\\.\\.|…)?',
    '(?:leave|post|add|write) a (?:comment|reply)|comments?|(?:\\d+|no|one) (?:comments?|responses?|thoughts?)(?: (?:on|to) .{1,200})?',
  ].join('|')})$`,
  'iu',
);

export function opensEndBox(line: string): boolean {
  const s = line.trim();
  return !!s && s.length <= 240 && END_BOX.test(bareLine(s));
}
