/**
 * LinkedIn "little text" as a reader sees it (facts sheet §3): reserved characters must be escaped with `\`;
 * an unescaped one does not fail the request, LinkedIn silently cuts the commentary there.
 * Hashtags (`#tag`, `{hashtag|\#|tag}`) and mentions (`@[Name](urn:li:…)`) are markup, not cuts.
 */
export const LITTLE_TEXT_RESERVED = '|{}@[]()<>#\\*_~';

const RESERVED_SET: ReadonlySet<string> = new Set(LITTLE_TEXT_RESERVED);
const escapeClass = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');
const RESERVED = new RegExp(`[${escapeClass(LITTLE_TEXT_RESERVED)}]`, 'g');
const ESCAPED = new RegExp(`\\\\([${escapeClass(LITTLE_TEXT_RESERVED)}])`, 'g');

/** Ordinary text as little text: every reserved character gets a backslash. */
export function escapeLittleText(s: string): string {
  return s.replace(RESERVED, (c) => `\\${c}`);
}

/** The escapes taken off again (what a reader sees of escaped ordinary text). */
export function unescapeLittleText(s: string): string {
  return s.replace(ESCAPED, '$1');
}

export interface ReaderView {
  /** The text readers see, escapes removed and markup rendered. */
  text: string;
  /** Index in the commentary of the character where LinkedIn cut it, or -1 when nothing was cut. */
  cutAt: number;
}

const HASHTAG_START = /[\p{L}\p{N}_]/u;
const MENTION = /^@\[([^\]\\]+)\]\((urn:li:(?:person|organization):[A-Za-z0-9_-]+)\)/;
const HASHTAG_TEMPLATE = /^\{hashtag\|\\#\|([\p{L}\p{N}_]+)\}/u;

export function readerView(commentary: string): ReaderView {
  let out = '';
  for (let i = 0; i < commentary.length; i++) {
    const c = commentary[i]!;
    const next = commentary[i + 1] ?? '';
    if (c === '\\' && RESERVED_SET.has(next)) {
      out += next;
      i += 1;
      continue;
    }
    if (c === '#' && HASHTAG_START.test(next)) {
      out += c;
      continue;
    }
    if (c === '@' || c === '{') {
      const rest = commentary.slice(i);
      const mention = c === '@' ? MENTION.exec(rest) : null;
      const tag = c === '{' ? HASHTAG_TEMPLATE.exec(rest) : null;
      if (mention) {
        out += mention[1];
        i += mention[0].length - 1;
        continue;
      }
      if (tag) {
        out += `#${tag[1]}`;
        i += tag[0].length - 1;
        continue;
      }
    }
    if (RESERVED_SET.has(c)) return { text: out, cutAt: i };
    out += c;
  }
  return { text: out, cutAt: -1 };
}

/** A hashtag as LinkedIn makes one: "#" starting a word, then letters, marks, digits or "_". */
const HASHTAG = /(^|[\s([{"'“‘])(#[\p{L}\p{M}\p{N}_]*[\p{L}\p{M}\p{N}])/gu;

/**
 * An operator's plain text as little text: every reserved character escaped, except the "#" of the hashtags
 * written in it (as the composer leaves the hashtags it adds), so "#Energy" stays a hashtag and "(AFP)" stays
 * whole instead of LinkedIn cutting the post at "(".
 */
export function littleTextFromPlain(plain: string): string {
  let out = '';
  let last = 0;
  for (const m of plain.matchAll(HASHTAG)) {
    const start = m.index + m[1]!.length;
    out += escapeLittleText(plain.slice(last, start));
    // The tag's own word characters include "_": escaped, it still reads as one hashtag.
    out += `#${escapeLittleText(m[2]!.slice(1))}`;
    last = start + m[2]!.length;
  }
  return out + escapeLittleText(plain.slice(last));
}
