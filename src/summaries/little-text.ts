/**
 * LinkedIn's "little text" format: these characters are markup, and an unescaped one makes LinkedIn cut the
 * post there (silently, with a 201). Every one of them in ordinary text gets a backslash.
 */
export const LITTLE_TEXT_RESERVED = '|{}@[]()<>#\\*_~';

const RESERVED = /[|{}@[\]()<>#\\*_~]/g;

export function escapeLittleText(s: string): string {
  return s.replace(RESERVED, (c) => `\\${c}`);
}

/** The text a reader sees: every `\x` escape of little text undone. */
export function unescapeLittleText(s: string): string {
  return s.replace(/\\([|{}@[\]()<>#\\*_~])/g, '$1');
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
