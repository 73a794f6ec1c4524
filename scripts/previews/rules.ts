/**
 * The Bluesky and Mastodon rules a `crier preview --jsonl` record must meet, checked from the outside: written
 * from the platforms' documents (../shared/docs/platform-apis-bluesky-mastodon.md), with nothing from Crier's
 * own code (no composer, no validator, no twitter-text), so a mistake shared by the composer and its validator
 * still shows. Returns one line per problem, each starting with the platform's name; none means every
 * post is fit to send.
 *
 * Bluesky: text ≤ 300 graphemes (Intl.Segmenter) and ≤ 3000 UTF-8 bytes; every facet's byte range on UTF-8
 * character boundaries, sliced exactly its link or `#tag`; no overlaps; a tag ≤ 64 graphemes without `#`;
 * every link and hashtag of the text is a facet. Mastodon: graphemes with every http(s) URL counted as 23 ≤
 * the instance's limit. Both: the link in the text, no word or sentence cut short.
 */

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: { $type: string; uri?: string; tag?: string }[];
}

export interface PreviewPost {
  platform: string;
  account?: string;
  text?: string;
  summary?: string;
  link?: string;
  hashtags?: string[];
  facets?: Facet[];
}

export interface PreviewRecord {
  source?: string;
  article?: { url?: string | null; title?: string; text?: string };
  posts?: PreviewPost[];
}

const LINK = 'app.bsky.richtext.facet#link';
const TAG = 'app.bsky.richtext.facet#tag';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export const graphemes = (s: string): number => [...segmenter.segment(s)].length;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A URL with a scheme as a reader's client finds it: up to white space, without closing punctuation. */
const URL_RE = /https?:\/\/[^\s<>]+/giu;
const URL_TRAILING = /[.,;:!?'"”’»)\]}…]+$/u;

export function urlsOf(text: string): { url: string; start: number }[] {
  const found: { url: string; start: number }[] = [];
  for (const m of text.matchAll(URL_RE)) {
    let url = m[0];
    // A closing bracket belongs to the URL when the URL opened it (Wikipedia-style paths).
    for (;;) {
      const cut = url.replace(URL_TRAILING, '');
      if (cut === url) break;
      const last = url.slice(cut.length);
      if (last === ')' && (url.match(/\(/g)?.length ?? 0) >= (url.match(/\)/g)?.length ?? 0)) break;
      url = cut;
    }
    found.push({ url, start: m.index });
  }
  return found;
}

/**
 * Hashtags as Bluesky's clients detect them: `#` after a start or white space, then anything but white space,
 * not all digits, without trailing punctuation.
 */
export function hashtagsOf(text: string): { tag: string; start: number }[] {
  const found: { tag: string; start: number }[] = [];
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character (ZWJ too) ends a tag alone.
  for (const m of text.matchAll(/(^|\s)[#＃]([^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+)/gu)) {
    const tag = m[2]!.replace(/\p{P}+$/u, '');
    if (!tag || /^\d+$/u.test(tag) || tag.startsWith('\ufe0f')) continue;
    found.push({ tag, start: m.index + m[1]!.length });
  }
  return found;
}

/** Byte offset of a UTF-16 index of `text`. */
const byteAt = (text: string, index: number) => utf8(text.slice(0, index)).length;

function blueskyFacetProblems(text: string, facets: Facet[]): string[] {
  const bytes = utf8(text);
  const errors: string[] = [];
  const ranges = [...facets].sort((a, b) => a.index.byteStart - b.index.byteStart);
  let lastEnd = 0;
  for (const f of ranges) {
    const { byteStart, byteEnd } = f.index;
    const where = `facet ${byteStart}-${byteEnd}`;
    if (!Number.isInteger(byteStart) || !Number.isInteger(byteEnd) || byteStart < 0 || byteEnd <= byteStart) {
      errors.push(`bluesky: ${where} is not a range`);
      continue;
    }
    if (byteEnd > bytes.length) errors.push(`bluesky: ${where} ends past the text (${bytes.length} bytes)`);
    if (byteStart < lastEnd) errors.push(`bluesky: ${where} overlaps the facet before it`);
    lastEnd = Math.max(lastEnd, byteEnd);
    let slice: string;
    try {
      slice = decoder.decode(bytes.slice(byteStart, byteEnd));
    } catch {
      errors.push(`bluesky: ${where} cuts a character in two`);
      continue;
    }
    if (f.features.length === 0) errors.push(`bluesky: ${where} has no feature`);
    for (const feat of f.features) {
      if (feat.$type === LINK) {
        if (!/^https?:\/\//i.test(feat.uri ?? '')) errors.push(`bluesky: ${where} links to "${feat.uri}"`);
        if (slice !== feat.uri) errors.push(`bluesky: ${where} is "${slice}", not its link "${feat.uri}"`);
      } else if (feat.$type === TAG) {
        const tag = feat.tag ?? '';
        if (!tag || /^[#＃]/u.test(tag) || /\s/u.test(tag)) errors.push(`bluesky: ${where} has tag "${tag}"`);
        if (graphemes(tag) > 64) errors.push(`bluesky: tag "${tag}" is ${graphemes(tag)} graphemes > 64`);
        if (slice !== `#${tag}` && slice !== `＃${tag}`)
          errors.push(`bluesky: ${where} is "${slice}", not its tag "#${tag}"`);
      }
    }
  }
  return errors;
}

/** Every link and hashtag a reader sees in the text is a facet (else it shows as plain, dead text). */
function blueskyUnfaceted(text: string, facets: Facet[]): string[] {
  const errors: string[] = [];
  const covered = (start: number, end: number, type: string) =>
    facets.some(
      (f) =>
        f.index.byteStart === start && f.index.byteEnd === end && f.features.some((x) => x.$type === type),
    );
  for (const { url, start } of urlsOf(text)) {
    const b = byteAt(text, start);
    if (!covered(b, b + utf8(url).length, LINK)) errors.push(`bluesky: link "${url}" is not a link facet`);
  }
  for (const { tag, start } of hashtagsOf(text)) {
    const b = byteAt(text, start);
    if (graphemes(tag) > 64) continue; // too long to be a tag: plain text is right
    if (!covered(b, b + utf8(`#${tag}`).length, TAG))
      errors.push(`bluesky: hashtag "#${tag}" is not a tag facet`);
  }
  return errors;
}

export function blueskyProblems(post: PreviewPost): string[] {
  const text = post.text ?? '';
  const errors: string[] = [];
  const n = graphemes(text);
  if (n > 300) errors.push(`bluesky: ${n} graphemes > 300`);
  const size = utf8(text).length;
  if (size > 3000) errors.push(`bluesky: ${size} bytes > 3000`);
  const facets = post.facets ?? [];
  errors.push(...blueskyFacetProblems(text, facets), ...blueskyUnfaceted(text, facets));
  return errors;
}

/** Mastodon's count: graphemes, every URL with a scheme counted as 23. */
export function mastodonCount(text: string): number {
  let n = 0;
  let at = 0;
  for (const { url, start } of urlsOf(text)) {
    n += graphemes(text.slice(at, start)) + 23;
    at = start + url.length;
  }
  return n + graphemes(text.slice(at));
}

export function mastodonProblems(post: PreviewPost, limit = 500): string[] {
  const n = mastodonCount(post.text ?? '');
  return n > limit ? [`mastodon: ${n} characters (links as 23) > ${limit}`] : [];
}

/** What may close a sentence in any script: punctuation, possibly inside closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？؟۔।]["'”’»」』)\]]*$/u;

const NO_SPACES =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const words = (s: string) => s.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];

/**
 * No word or sentence cut short: the summary ends a sentence (or a line of the article), and every word of it
 * is a whole word of the article (a word cut in two is not one).
 */
export function cutProblems(platform: string, summary: string, article: { title?: string; text?: string }) {
  const errors: string[] = [];
  const source = `${article.title ?? ''}\n${article.text ?? ''}`.normalize('NFC');
  const s = summary.trim().normalize('NFC');
  if (!s) return [`${platform}: no summary`];
  const endsLine = source.split('\n').some((line) => line.trimEnd().endsWith(s.slice(-40)));
  if (!SENTENCE_END.test(s) && !endsLine)
    errors.push(`${platform}: summary stops inside a sentence: …${s.slice(-30)}`);
  const known = new Set(words(source));
  const cut = words(s).filter((w) => !known.has(w));
  // Scripts written without spaces (CJK, Thai…): a "word" there is a run of characters; it must be in the text.
  const missing = cut.filter((w) => !(NO_SPACES.test(w) && source.includes(w)));
  if (missing.length)
    errors.push(`${platform}: words not in the article (cut?): ${missing.slice(0, 3).join(', ')}`);
  return errors;
}

/** Every problem of one preview record (one article), for the platforms it has posts for. */
export function previewProblems(record: PreviewRecord, opts: { mastodonLimit?: number } = {}): string[] {
  const errors: string[] = [];
  const url = record.article?.url ?? undefined;
  for (const post of record.posts ?? []) {
    const p = post.platform;
    const text = post.text ?? '';
    if (!text.trim()) {
      errors.push(`${p}: empty text`);
      continue;
    }
    if (p === 'bluesky') errors.push(...blueskyProblems(post));
    if (p === 'mastodon') {
      errors.push(...mastodonProblems(post, opts.mastodonLimit));
      if (url && post.link && !text.includes(post.link)) errors.push('mastodon: no article link in the text');
    }
    if (p === 'bluesky' && url && post.link) {
      const linked = (post.facets ?? []).some((f) => f.features.some((x) => x.uri === post.link));
      const embedded = !text.includes(post.link);
      if (!linked && !embedded) errors.push('bluesky: the article link is in the text but not a facet');
    }
    if (post.summary !== undefined) errors.push(...cutProblems(p, post.summary, record.article ?? {}));
  }
  return errors;
}
