import { createRequire } from 'node:module';
import type * as Jsdom from 'jsdom';

const require = createRequire(import.meta.url);
let loaded: typeof Jsdom | undefined;

/**
 * jsdom, loaded at its first use: it is the heaviest dependency (over 2,000 files, most of a second of CPU),
 * and a plain-text article, `crier --help` or `crier status` never need it.
 */
function jsdom(): typeof Jsdom {
  loaded ??= require('jsdom') as typeof Jsdom;
  return loaded;
}

/**
 * HTML → paragraph text. `textContent` glues paragraphs (and words either side of a tag boundary)
 * together, so this walks the tree instead: every block element ends a paragraph, inline elements
 * flow into the current one, and `<br>` breaks the line.
 */

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'CAPTION',
  'CENTER',
  'DD',
  'DETAILS',
  'DIALOG',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HGROUP',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TFOOT',
  'THEAD',
  'TR',
  'UL',
]);
/** Table cells stay on their row's line, separated by a space. */
const CELL = new Set(['TD', 'TH']);
const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'MATH',
  'CANVAS',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'VIDEO',
  'AUDIO',
  'BUTTON',
  'SELECT',
  'TEXTAREA',
  'INPUT',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

export interface ParagraphOptions {
  /** Leave out <figcaption> text (photo captions and credits). Default true. */
  skipCaptions?: boolean;
  /**
   * Leave out short paragraphs that are nothing but a link ("More Business News", menu items,
   * related-story lists). Default false: extracted article content sets it, fragments keep all text.
   */
  skipLinkOnly?: boolean;
}

/** A paragraph of at most this many words whose text is all link text is navigation. */
const LINK_ONLY_MAX_WORDS = 10;

/** The paragraphs of a DOM subtree, whitespace-normalised, empty ones dropped. */
export function paragraphsFromNode(root: Node, opts: ParagraphOptions = {}): string[] {
  const skipCaptions = opts.skipCaptions ?? true;
  const paragraphs: string[] = [];
  let current = '';
  let linkText = '';
  let inLink = 0;
  const flush = () => {
    const p = current.replace(/\s+/g, ' ').trim();
    const linked = linkText.replace(/\s+/g, ' ').trim();
    const linkOnly =
      opts.skipLinkOnly && linked.length >= p.length * 0.9 && p.split(' ').length <= LINK_ONLY_MAX_WORDS;
    if (p && !linkOnly) paragraphs.push(p);
    current = '';
    linkText = '';
  };
  const walk = (node: Node): void => {
    if (node.nodeType === TEXT_NODE) {
      current += node.nodeValue ?? '';
      if (inLink) linkText += node.nodeValue ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) {
      for (const c of Array.from(node.childNodes)) walk(c);
      return;
    }
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP.has(tag) || el.hasAttribute('hidden')) return;
    if (skipCaptions && tag === 'FIGCAPTION') return;
    if (tag === 'BR') {
      flush();
      return;
    }
    if (tag === 'PRE') {
      // Keep the preformatted lines as they are (code, poems), one paragraph per block.
      flush();
      const text = (el.textContent ?? '').replace(/\s+$/, '');
      if (text.trim()) paragraphs.push(text.replace(/^\n+/, ''));
      return;
    }
    const block = BLOCK.has(tag);
    const link = tag === 'A' && el.hasAttribute('href');
    if (block) flush();
    if (CELL.has(tag)) current += ' ';
    if (link) inLink += 1;
    for (const c of Array.from(el.childNodes)) walk(c);
    if (link) inLink -= 1;
    if (CELL.has(tag)) current += ' ';
    if (block) flush();
  };
  walk(root);
  flush();
  return paragraphs;
}

let quiet: Jsdom.VirtualConsole | undefined;

/**
 * Parses a full HTML document (no scripts run, no resources load). <style> blocks are cut out first:
 * jsdom parses every stylesheet, which took about two thirds of the parse time on news pages, and
 * nothing here reads stylesheets (Readability looks at inline `style` attributes only).
 */
export function parseHtmlDocument(html: string, url: string): Document {
  const withoutStyles = html.replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '');
  const { JSDOM, VirtualConsole } = jsdom();
  quiet ??= new VirtualConsole();
  return new JSDOM(withoutStyles, { url, virtualConsole: quiet }).window.document;
}

/** Text of an HTML fragment (feed content, WordPress `content.rendered`), paragraphs blank-line separated. */
export function htmlFragmentToText(html: string, opts: ParagraphOptions = {}): string {
  if (!/[<&]/.test(html)) return html.trim();
  const frag = jsdom().JSDOM.fragment(html);
  return paragraphsFromNode(frag, opts).join('\n\n');
}

/** Plain text of a short HTML string (a title, an excerpt): entities decoded, tags dropped, one line. */
export function htmlToInlineText(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  return (jsdom().JSDOM.fragment(`<div>${html}</div>`).textContent ?? '').replace(/\s+/g, ' ').trim();
}
