/**
 * E-mail addresses and phone numbers: a page's contact details must never reach article text.
 * The patterns are deliberately narrow for numbers so that years, prices and counts in real
 * sentences ("3,000 volunteers", "EUR 800", "18-25 years old", "2019-2020") are never touched.
 */

const EMAIL = String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`;
/** "name [at] example [dot] com" and similar obfuscations. */
const OBFUSCATED_EMAIL = String.raw`[\p{L}\p{N}._%+-]+\s*[[(]\s*at\s*[\])]\s*[\p{L}\p{N}-]+(?:\s*(?:[[(]\s*dot\s*[\])]|\.)\s*[\p{L}\p{N}-]+)+`;

const PHONES = [
  // International: +<country> then at least 7 more digits in groups.
  String.raw`\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}`,
  // North American: (555) 123-4567, 555-123-4567, 555.123.4567
  String.raw`\(\d{3}\)\s?\d{3}[\s.-]\d{4}`,
  String.raw`\b\d{3}[.-]\d{3}[.-]\d{4}\b`,
  // National trunk prefix formats: 020 7946 0958, 0800-123-4567
  String.raw`\b0\d{2,4}[\s-]\d{3,4}[\s-]\d{3,4}\b`,
  // A bare run of 10-11 digits (mobile numbers); never part of a longer number or a decimal.
  String.raw`(?<![\d.,])\b0?[1-9]\d{9}\b(?![.,]\d)`,
];

/**
 * A number right after a contact label: "Tel: 2345 6789", "call 555-0199". Only the number matches
 * (the label stays in a sentence: "For tickets, call before Friday").
 */
const PHONE_LABEL = String.raw`\b(?:tel|telephone|phone|mobile|mob|cell|call|fax|whatsapp|helpline|hotline)\.?(?:\s*(?:no\.?|number))?\s*[:.-]?\s*`;
const LABELLED_PHONE = String.raw`(?<=${PHONE_LABEL})\+?\d[\d\s().-]{5,}\d`;

const CONNECTOR = String.raw`(?:\s*(?:\bat|\bon|\bvia|\bto|\bemail|\be-mail|:)\s*)?`;

const EMAIL_RE = new RegExp(`${EMAIL}|${OBFUSCATED_EMAIL}`, 'giu');
const ANY_CONTACT_RE = new RegExp(
  `${EMAIL}|${OBFUSCATED_EMAIL}|${LABELLED_PHONE}|${PHONES.join('|')}`,
  'giu',
);
const SCRUB_RE = new RegExp(
  `${CONNECTOR}(?:${EMAIL}|${OBFUSCATED_EMAIL})|${LABELLED_PHONE}|${CONNECTOR}(?:${PHONES.join('|')})`,
  'giu',
);

const LABEL_BEFORE_RE = new RegExp(`${PHONE_LABEL}$`, 'iu');

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n += 1;
  }
  return n;
}

/** An '@', or an obfuscated one ("[at]", "(at)"): an e-mail address needs one. */
const AT_SIGN_RE = /@|[[(]\s*at\s*[\])]/i;

/**
 * The cheap test before the big pattern: an e-mail address needs an '@' (or "[at]"), and a number is only
 * taken for a phone with at least 7 digits. Most sentences have neither, and skip the pattern.
 */
function mayHoldContact(text: string): boolean {
  return AT_SIGN_RE.test(text) || digitCount(text) >= 7;
}

/** True when the text holds an e-mail address or something shaped like a phone number. */
export function hasContact(text: string): boolean {
  if (!mayHoldContact(text)) return false;
  for (const m of text.matchAll(ANY_CONTACT_RE)) {
    if (m[0].includes('@') || /\[|\(at\)/i.test(m[0]) || digitCount(m[0]) >= 8) return true;
  }
  return false;
}

export function hasEmail(text: string): boolean {
  if (!AT_SIGN_RE.test(text)) return false;
  EMAIL_RE.lastIndex = 0;
  return EMAIL_RE.test(text);
}

/**
 * Removes e-mail addresses and phone numbers (with a leading "at"/":" connector) and tidies the
 * punctuation left behind. Number-shaped matches with fewer than 8 digits are kept: they are not phones.
 */
export function scrubContacts(text: string): string {
  if (!mayHoldContact(text)) return text;
  const out = text.replace(SCRUB_RE, (m: string, offset: number) => {
    const isEmail = m.includes('@') || /[[(]\s*at\s*[\])]/i.test(m);
    // A labelled number ("Tel: 555 0199") may be a 7-digit local number; unlabelled ones need 8+.
    const labelled = LABEL_BEFORE_RE.test(text.slice(Math.max(0, offset - 40), offset));
    const minDigits = labelled ? 7 : 8;
    if (!isEmail && digitCount(m) < minDigits) return m;
    return '';
  });
  if (out === text) return text;
  return tidyPunctuation(out);
}

/** Cleans up what removing a span leaves: empty brackets, space before punctuation, doubled spaces. */
export function tidyPunctuation(s: string): string {
  return s
    .replace(/\b(?:tel|telephone|phone|mobile|fax|e-?mail)\.?\s*[:-]\s*(?=[,;|.]|$)/gi, '')
    .replace(/\(\s*[,;:/|-]?\s*\)|\[\s*\]/g, '')
    .replace(/\s+([.,;:!?)])/g, '$1')
    .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[,;:]\s*([.!?])/g, '$1')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Sentence ends inside a paragraph: after . ! ? or … (and a closing quote or bracket), before a capital or quote. */
const SENTENCE_BREAK_RE = /(?<=[.!?…]["”’)\]]?)\s+(?=["“‘([]?[\p{Lu}\p{N}])/u;

/**
 * Drops every sentence that carries an e-mail address or a phone number. Removing only the address would leave
 * a broken sentence ("… reachable at ."), and a post must never quote half a sentence; the rest of the
 * paragraph is kept as written.
 */
export function dropContactSentences(text: string): string {
  if (!mayHoldContact(text)) return text;
  const sentences = text.split(SENTENCE_BREAK_RE);
  const kept = sentences.filter((s) => scrubContacts(s) === s);
  return kept.length === sentences.length ? text : kept.join(' ');
}
