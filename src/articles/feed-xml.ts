import { SaxesParser } from 'saxes';
import { SourceError } from './errors.js';

/**
 * What Crier checks in an XML feed before its items are read (feedsmith reads them):
 *
 * - The DOCTYPE is cut out whole, internal subset included: entities are never expanded (no billion laughs)
 *   and nothing external is fetched (no XXE). References to the entities it declared are dropped, with a
 *   warning. HTML entities (`&eacute;`, as RSS 0.91 feeds use) are still decoded by the reader.
 * - The structure is checked with a strict streaming parser (saxes): a truncated or broken feed (unclosed or
 *   mismatched tags, no root element) is an error naming its line and column, never a silent empty read.
 *   Sloppiness that readers tolerate (a bare `&`, an unknown entity, a stray control character) is not.
 * - Items' original links (`feedburner:origLink`, `pheedo:origLink`, any `*:origLink`) are collected in
 *   document order: an original link wins over the redirector in `<link>`.
 * - The `xml:base` in force on each item (Atom feeds write relative links against it) is collected too.
 */
export interface CheckedXmlFeed {
  /** The feed text, DOCTYPE removed (same line numbers). */
  text: string;
  /** Per item or entry, in document order: its original link, when the feed names one. */
  origLinks: Array<string | undefined>;
  /**
   * Per item or entry, in document order: the `xml:base` values in force on it, outermost first (the feed's,
   * then the entry's own); relative links resolve against them in turn.
   */
  itemBases: string[][];
  /** Entities the DOCTYPE declared (never expanded). */
  declaredEntities: string[];
}

/** Structural errors: a document that is cut short or whose tags do not nest. */
const FATAL = /unclosed tag|unmatched closing tag|unexpected close tag|unexpected end|must contain a root/;

/** The DOCTYPE declaration at the start of a document (with its internal subset), as [start, end). */
function doctypeSpan(text: string): [number, number] | undefined {
  const m = /<!DOCTYPE\b/i.exec(text.slice(0, 4096));
  if (!m) return undefined;
  let quote = '';
  let depth = 0;
  for (let i = m.index + m[0].length; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
    else if (c === '>' && depth <= 0) return [m.index, i + 1];
  }
  return [m.index, text.length];
}

/** Removes the DOCTYPE (keeping its newlines, so lines still count right) and lists the entities it declares. */
export function stripDoctype(text: string): { text: string; entities: string[] } {
  const span = doctypeSpan(text);
  if (!span) return { text, entities: [] };
  const decl = text.slice(span[0], span[1]);
  const entities = [...decl.matchAll(/<!ENTITY\s+(?:%\s+)?([^\s>]+)/gi)].map((m) => m[1]!);
  return { text: text.slice(0, span[0]) + decl.replace(/[^\n]/g, ' ') + text.slice(span[1]), entities };
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();

export function checkXmlFeed(input: string, source: string, warn: (message: string) => void): CheckedXmlFeed {
  const { text: withoutDoctype, entities } = stripDoctype(input);
  let text = withoutDoctype;
  if (entities.length) {
    const names = new Set(entities);
    text = text.replace(/&([A-Za-z_][\w.-]*);/g, (all, name: string) => (names.has(name) ? '' : all));
    warn(
      `${source}: the feed's DOCTYPE declares entities (${entities.slice(0, 5).join(', ')}${entities.length > 5 ? ', …' : ''}); they are not expanded`,
    );
  }

  const parser = new SaxesParser({ position: true });
  let fatal: string | undefined;
  parser.on('error', (e) => {
    if (fatal || !FATAL.test(e.message)) return;
    // saxes prefixes "line:column: "; its columns count from 0.
    const detail = e.message.replace(/^\d+:\d+:\s*/, '').replace(/\.$/, '');
    fatal = `malformed feed: line ${parser.line}, column ${parser.column + 1}: ${detail}`;
  });
  const origLinks: Array<string | undefined> = [];
  const itemBases: string[][] = [];
  // The xml:base of each open element (undefined: none), innermost last.
  const bases: Array<string | undefined> = [];
  let item = -1;
  let inOrig = false;
  let orig = '';
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const base = tag.attributes['xml:base'];
    bases.push(typeof base === 'string' && base.trim() ? base.trim() : undefined);
    if (name === 'item' || name === 'entry') {
      item += 1;
      origLinks[item] = undefined;
      itemBases[item] = bases.filter((b): b is string => b !== undefined);
    } else if (name === 'origlink' && tag.name.includes(':') && item >= 0) {
      inOrig = true;
      orig = '';
    }
  });
  const addText = (t: string) => {
    if (inOrig) orig += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    bases.pop();
    if (inOrig && localName(tag.name) === 'origlink') {
      inOrig = false;
      const link = orig.trim();
      if (link && origLinks[item] === undefined) origLinks[item] = link;
    }
  });
  // A bare "&" (AT&T) is sloppy, not broken, and would make saxes lose its place: it reads "_" instead
  // (same length, so line and column stay right).
  const forCheck = text.replace(/&(?!#\d+;|#x[0-9a-f]+;|[A-Za-z_][\w.-]*;)/gi, '_');
  try {
    parser.write(forCheck).close();
  } catch (e) {
    fatal ??= `malformed feed: ${(e as Error).message}`;
  }
  if (fatal) throw new SourceError(source, 'unparseable', fatal);
  return { text, origLinks, itemBases, declaredEntities: entities };
}
