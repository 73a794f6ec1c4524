import { SourceError } from './errors.js';

/**
 * A web page's shape, measured before it is parsed. The DOM parser and Readability take time and memory
 * that grow with the number of elements and their nesting (a 5 MB page of 600,000 empty paragraphs took
 * minutes and gigabytes; 50,000 nested <div>s overflowed the stack): pages past these bounds are refused
 * at once, naming the shape. Real articles have a few thousand elements (a long Wikipedia page, 10,000)
 * nested a few dozen deep; browsers stop nesting at 512.
 */
export const MAX_PAGE_ELEMENTS = 50_000;
export const MAX_PAGE_DEPTH = 512;

/** Elements that never hold others. */
const VOID = new Set(
  'area base br col embed hr img input keygen link meta param source track wbr'.split(' '),
);
/** Elements whose end tag may be left out (the parser closes them): they do not deepen the tree. */
const OPTIONAL_END = new Set(
  'p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rtc rp html head body'.split(
    ' ',
  ),
);
/** Elements whose content is text, not tags. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'template']);

export interface PageShape {
  elements: number;
  depth: number;
}

/**
 * Counts start tags and the deepest nesting of elements that must be closed, in one pass over the text (no
 * parsing, no recursion). Comments and the text of script and style elements are skipped. The depth is an
 * upper bound of the tree's (a misnested page reads deeper than it parses), stopping early past the limits.
 */
export function pageShape(html: string): PageShape {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>|<!--[\s\S]*?(?:-->|$)/g;
  let elements = 0;
  let depth = 0;
  let deepest = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue; // a comment
    if (m[1]) {
      if (!VOID.has(name) && !OPTIONAL_END.has(name) && depth > 0) depth -= 1;
      continue;
    }
    elements += 1;
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}`, 'gi');
      close.lastIndex = tag.lastIndex;
      tag.lastIndex = close.exec(html)?.index ?? html.length;
      continue;
    }
    if (VOID.has(name) || OPTIONAL_END.has(name) || m[3]) continue;
    depth += 1;
    if (depth > deepest) deepest = depth;
    if (elements > MAX_PAGE_ELEMENTS * 20) break;
  }
  return { elements, depth: deepest };
}

/** Throws a SourceError for a page past MAX_PAGE_ELEMENTS or MAX_PAGE_DEPTH. */
export function checkPageShape(html: string, source: string): void {
  const problem = shapeProblem(html);
  if (problem) throw new SourceError(source, 'too-large', `page ${problem.replace(/^(\d)/, 'of $1')}`);
}

/** Why a piece of HTML (a feed item's content) is past the limits, in words; undefined when it is not. */
export function shapeProblem(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const { elements, depth } = pageShape(html);
  if (depth > MAX_PAGE_DEPTH)
    return `nested ${depth} elements deep, over the ${MAX_PAGE_DEPTH} a page may have`;
  if (elements > MAX_PAGE_ELEMENTS)
    return `${elements} elements, over the ${MAX_PAGE_ELEMENTS} a page may have`;
  return undefined;
}
