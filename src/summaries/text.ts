/**
 * Small text helpers shared by the summarizer and the composers.
 * Everything here works on code points or whole words, never on UTF-16 halves.
 */

/** Length in code points: the language-neutral count used for `maxSummaryChars`, LinkedIn and Facebook. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

// What squashSpace changes: whitespace other than a plain space, two spaces in a row, a space at either end.
const UNSQUASHED = /[^\S ]| {2}|^ | $/;

/** Every run of whitespace (incl. no-break spaces) as one space, trimmed. */
export function squashSpace(s: string): string {
  // Most text (every sentence split from a squashed line) is squashed already: no new string for it.
  return UNSQUASHED.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}

/** NFC (as X counts it), whitespace squashed. */
export function cleanSpace(s: string): string {
  return squashSpace(s.normalize('NFC'));
}

/** Closing marks that may follow the terminal punctuation of a sentence: `… he said.”` or `(sic.)`. */
const CLOSERS = `"”’')\\]»」』）】`;
/**
 * Sentence-final marks of the world's scripts: Latin, CJK full-width and half-width (。！？｡), Devanagari
 * and Bengali danda (। ॥), Arabic and Urdu (؟ ۔), Armenian (։), Ethiopic (። ፧), Myanmar (။), Tibetan (།).
 */
export const SENTENCE_END_MARKS = '.!?…。！？｡।॥؟۔։።፧။།';
const TERMINAL = new RegExp(`[${SENTENCE_END_MARKS}][${CLOSERS}]*$`, 'u');

/** Chinese and Japanese sentences follow each other with no space after their full-width marks. */
const FULL_WIDTH_END = /[。！？｡][」』）】]*$/u;

/** Sentences joined as their script writes them: a space between, none after a full-width 。！？. */
export function joinSentences(sentences: string[]): string {
  let out = '';
  for (const s of sentences) out = out && !FULL_WIDTH_END.test(out) ? `${out} ${s}` : out + s;
  return out;
}

/** True when `s` ends a sentence: terminal punctuation, optionally followed by closing quotes/brackets. */
export function endsSentence(s: string): boolean {
  return TERMINAL.test(s.trimEnd());
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
// Digit groups separated by space, dot, dash or slash, optionally with +country and (area) parts.
const PHONE_CANDIDATE = /(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.\-/]\d{2,5}){1,5}/g;
const PHONE_WORD = /\b(?:tel|telephone|phone|call|fax|mobile|whatsapp|hotline)\b[^.!?]{0,12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function hasEmail(s: string): boolean {
  return s.includes('@') && EMAIL.test(s);
}

/**
 * Phone-number detector tuned to leave news numbers alone ("3,000 volunteers in 2026", "1939-1945",
 * "2015-04-08"): a candidate needs 9-15 digits, or 7+ digits right after a word such as "call"/"tel",
 * and must start with "+", "(" or a 0 trunk prefix, or use "-"/"." separators.
 */
export function hasPhone(s: string): boolean {
  // Most sentences have too few digits to hold a number at all: skip the regex for them.
  let digits = 0;
  for (let i = 0; i < s.length && digits < 7; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  if (digits < 7) return false;
  for (const m of s.matchAll(PHONE_CANDIDATE)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, '').length;
    const before = s.slice(Math.max(0, m.index - 24), m.index);
    if (digits >= 7 && PHONE_WORD.test(before)) return true;
    if (digits < 9 || digits > 15 || ISO_DATE.test(raw)) continue;
    if (/^[+(0]/.test(raw) || /\d[.-]\d/.test(raw)) return true;
  }
  return false;
}

/** Contact details never go into a post. */
export function hasContactDetails(s: string): boolean {
  return hasEmail(s) || hasPhone(s);
}

/**
 * Page furniture that intake may have left in the text. These are phrases a reader of a post must never see;
 * a sentence carrying one is dropped whole.
 */
const FURNITURE = new RegExp(
  [
    String.raw`\bskip to (?:main )?content\b`,
    String.raw`\bleave a (?:comment|reply)\b`,
    String.raw`\bcontact us\b`,
    String.raw`\bwith inputs from\b`,
    String.raw`\bscroll down for (?:video|more)\b`,
    String.raw`\bshare this with\b`,
    String.raw`\bclick here\b`,
    String.raw`\bmedia playback is (?:unsupported|not supported)\b`,
    String.raw`\b(?:sign up|subscribe) (?:to|for) (?:our|the) newsletter\b`,
    String.raw`\bfollow us on\b`,
    String.raw`\bon (?:facebook|twitter|linkedin|instagram)\s*$`,
    String.raw`\ball rights reserved\b`,
    String.raw`\bcopyright ©`,
  ].join('|'),
  'i',
);

export function isFurniture(s: string): boolean {
  return FURNITURE.test(s);
}
