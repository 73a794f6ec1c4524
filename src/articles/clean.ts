import { lazySegmenter } from '../core/segmenter.js';
import { dropContactSentences } from './contacts.js';
import { isFurnitureLine, isWeakFurnitureLine, opensEndBox, wordCount } from './furniture.js';
import { type TailOptions, trimFooterTail, trimParagraphTail } from './tails.js';

const graphemes = lazySegmenter('und', 'grapheme');

/** The longest prefix of `s` of at most `max` UTF-16 units that ends on a grapheme cluster boundary. */
export function graphemePrefix(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = 0;
  for (const g of graphemes().segment(s)) {
    if (g.index + g.segment.length > max) break;
    end = g.index + g.segment.length;
  }
  return s.slice(0, end);
}

/**
 * Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069): a right-to-left
 * override makes "gnp.exe" read as "exe.png" on a link card. Never wanted in a post.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** The same plus the left-to-right and right-to-left marks (U+200E, U+200F), for titles and links. */
export const BIDI_CONTROLS_AND_MARKS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Normalises one line: exotic spaces become plain spaces, invisible characters that carry nothing go
 * (zero-width space, word joiner, BOM, soft hyphen, bidi controls), control characters become spaces, runs
 * of spaces collapse. The zero-width joiner and non-joiner and variation selectors stay: they belong to
 * the grapheme clusters of emoji (👨‍👩‍👧, 🏳️‍🌈) and to the spelling of Persian, Hindi and other scripts.
 * Letters, digits and punctuation are left exactly as they were.
 */
// What normalizeLine changes: an invisible or control character, whitespace other than a plain space, two
// spaces in a row, a space at either end (its whitespace class below is \s: \s has all of those spaces).
const UNNORMALISED = /[\u200B\u2060\uFEFF\u00AD\u202A-\u202E\u2066-\u2069\p{Cc}]|[^\S ]| {2}|^ | $/u;

export function normalizeLine(line: string): string {
  // Most lines of a text need nothing: no new strings for them.
  if (!UNNORMALISED.test(line)) return line;
  return line
    .replace(/[\u200B\u2060\uFEFF\u00AD]/g, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g, ' ')
    .trim();
}

/** Splits text into normalised lines (CRLF/CR become LF). */
export function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n').map(normalizeLine);
}

/**
 * Groups lines into paragraphs. Text that uses blank lines between paragraphs gets its hard-wrapped
 * lines joined with a space; text with no blank line at all is one paragraph per line.
 */
function usesBlankLines(lines: string[]): boolean {
  const first = lines.findIndex(Boolean);
  const last = lines.findLastIndex(Boolean);
  return lines.slice(first, last).some((l) => l === '');
}

function paragraphsOf(lines: string[], blankSeparated: boolean): string[] {
  if (!blankSeparated) return lines.filter(Boolean);
  const out: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line) {
      current.push(line);
    } else if (current.length) {
      out.push(current.join(' '));
      current = [];
    }
  }
  if (current.length) out.push(current.join(' '));
  return out;
}

/** Most words an end box (author bio, related posts, comments) may hold after its heading. */
const END_BOX_MAX_WORDS = 80;

/**
 * Where a box printed after the article starts: a heading ("About the author", "Related",
 * "Share this:", "Leave a reply"), when what follows it is short and shorter than what comes before it:
 * a bio or a list of links, never the rest of an article. The text's length when there is none.
 */
function endBoxStart(lines: string[], strong: boolean[]): number {
  const words = lines.map((l, i) => (l && !strong[i] ? wordCount(l) : 0));
  const total = words.reduce((a, b) => a + b, 0);
  let before = 0;
  for (let i = 0; i < lines.length; i++) {
    if (before > 0 && opensEndBox(lines[i]!)) {
      const after = total - before;
      if (after <= END_BOX_MAX_WORDS && after < before) return i;
    }
    before += words[i]!;
  }
  return lines.length;
}

/**
 * Which lines are furniture, given the strong ones. Weak furniture (a bare "Twitter", "More", the feed
 * footer "The post … appeared first on …") counts only next to other furniture or at the end of the text.
 */
function furnitureMask(lines: string[], strong: boolean[]): boolean[] {
  const weak = lines.map((l, i) => !strong[i] && isWeakFurnitureLine(l));
  const neighbour = (i: number, step: 1 | -1): number | undefined => {
    for (let j = i + step; j >= 0 && j < lines.length; j += step) if (lines[j]) return j;
    return undefined;
  };
  return lines.map((_, i) => {
    if (strong[i]) return true;
    if (!weak[i]) return false;
    const next = neighbour(i, 1);
    const prev = neighbour(i, -1);
    if (next === undefined) return true;
    return [prev, next].some((j) => j !== undefined && (strong[j] || weak[j]));
  });
}

export interface CleanedText {
  text: string;
  /** The text ended with an excerpt mark or a read-more link (now removed): it is an excerpt. */
  truncated: boolean;
}

/**
 * Removes site furniture and contact details from article text and normalises whitespace.
 * Used by every source kind, so that the same line is treated the same way wherever it comes from.
 *
 * - Furniture lines (navigation, share links, "Leave a comment", "Contact us: ...", "With inputs
 *   from ...", ad labels, ...) are dropped whole; a dropped line also ends the paragraph it was in.
 * - A box after the article (author bio, related posts, share bar) goes with its heading.
 * - Excerpt tails ("[…]" becomes "…"; "Continue reading →", "Read more" go) and the feed footers of
 *   WordPress and Medium ("The post … appeared first on …") are cut from the ends of paragraphs.
 * - A sentence that carries an e-mail address or a phone number is dropped whole (never left half).
 * - Paragraphs come out separated by one blank line; an immediately repeated short line is dropped.
 */
export function cleanArticle(text: string, opts: TailOptions = {}): CleanedText {
  return cleanArticleLines(splitLines(text), opts);
}

/**
 * `cleanArticle` of text already cut into lines by `splitLines` (normalised, so splitting their join again
 * would give the same lines): callers that split the text anyway do not pay for it twice.
 */
export function cleanArticleLines(normalised: string[], opts: TailOptions = {}): CleanedText {
  // splitLines('') is [''], never [].
  const all = normalised.length ? normalised : [''];
  const allStrong = all.map((l) => isFurnitureLine(l));
  const end = endBoxStart(all, allStrong);
  const raw = all.slice(0, end);
  const mask = furnitureMask(raw, allStrong.slice(0, end));
  // Dropped lines become blank lines so the text on either side is not glued into one paragraph.
  const lines = raw.map((l, i) => (mask[i] ? '' : l));
  const out: string[] = [];
  let truncated = false;
  for (const para of paragraphsOf(lines, usesBlankLines(raw))) {
    const trimmed = trimParagraphTail(para, opts);
    const scrubbed = dropContactSentences(trimmed);
    if (!scrubbed || !/[\p{L}\p{N}]/u.test(scrubbed)) continue;
    // A short paragraph that carried an address or a phone number was a contact line ("The Hill,
    // 1625 K Street ... | tel 202-... | fax ..."): what is left of it is furniture too.
    const endsSentence = /[.!?…]["”’)\]]?$/.test(scrubbed);
    if (scrubbed !== trimmed && (isFurnitureLine(scrubbed) || (wordCount(scrubbed) <= 20 && !endsSentence)))
      continue;
    // A repeated short line is a template artefact (a heading or label printed twice); long
    // paragraphs are kept even when repeated, since they may be the article's own words.
    if (scrubbed.length < 100 && out.at(-1) === scrubbed) continue;
    out.push(scrubbed);
    truncated = trimmed !== para;
  }
  // The feed footer closes the text, sometimes glued to the last paragraph.
  while (out.length) {
    const last = out.at(-1)!;
    const trimmed = trimFooterTail(last);
    if (trimmed === last) break;
    const tail = trimmed && trimParagraphTail(trimmed, opts);
    if (tail !== trimmed) truncated = true;
    if (tail) out[out.length - 1] = tail;
    else out.pop();
  }
  const cleaned = out.join('\n\n');
  return { text: cleaned, truncated: truncated || /…$/.test(cleaned) };
}

/** `cleanArticle`'s text. */
export function cleanArticleText(text: string, opts: TailOptions = {}): string {
  return cleanArticle(text, opts).text;
}

/** The first sentence of a text, cut at a word boundary to at most `max` characters (a stand-in headline). */
export function firstSentence(text: string, max = 150): string {
  const firstLine = text.split('\n')[0] ?? '';
  const m = /^.+?(?:[.!?](?=\s|$)|[。！？])/u.exec(firstLine);
  const s = m ? m[0] : firstLine;
  if (s.length <= max) return s;
  const cut = graphemePrefix(s, max);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}
