/**
 * LinkedIn's "little text" format: these characters are markup, and an unescaped one makes LinkedIn cut the
 * post there (silently, with a 201). Every one of them in ordinary text gets a backslash.
 */
export const LITTLE_TEXT_RESERVED = '|{}@[]()<>#\\*_~';

const RESERVED = /[|{}@[\]()<>#\\*_~]/g;

export function escapeLittleText(s: string): string {
  return s.replace(RESERVED, (c) => `\\${c}`);
}
