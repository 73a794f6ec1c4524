/**
 * Decides what a document is from its content (servers and file names are often wrong):
 * an XML feed (root rss / feed / rdf:RDF), a JSON Feed (its `version` URL), a WordPress REST
 * posts array, an HTML page (doctype or <html>/<head>/<body>), else plain text. JSON that is
 * neither feed nor posts (or does not parse) is `json`: no reader takes it.
 * The HTTP Content-Type only settles what the content leaves open.
 */
import { stripDoctype } from './feed-xml.js';

export type SniffedKind = 'feed' | 'wordpress' | 'html' | 'text' | 'json';

/** The first element name of an XML/HTML document, past the declaration, comments, PIs and doctype. */
function rootElement(text: string): string | undefined {
  const s = text.replace(/^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/, '');
  // An HTML DOCTYPE usually starts a page, but a feed served by an HTML template may carry one: the root decides.
  // A DOCTYPE may carry an internal subset full of ">" (`<!DOCTYPE rss [<!ENTITY ...>]>`): skip it whole.
  const rest = (/^<!doctype/i.test(s) ? stripDoctype(s).text : s).replace(
    /^(?:\s+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*/,
    '',
  );
  return /^<([A-Za-z][\w:.-]*)/.exec(rest)?.[1]?.toLowerCase();
}

/** JSON syntax at the start: `{"`, `[{`, `[]`, `[ "` (a text line starting with "[Update]" is not JSON). */
const JSON_START = /^(?:\{\s*(?:"|\})|\[\s*(?:[{["\]]|-?\d|true|false|null))/;

function sniffJson(text: string, contentType: string | undefined): SniffedKind | undefined {
  if (!JSON_START.test(text) && !/json/i.test(contentType ?? '')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'json';
  }
  if (Array.isArray(value)) {
    const looksLikePosts = value.every(
      (p) => typeof p === 'object' && p !== null && ('content' in p || 'title' in p) && 'link' in p,
    );
    return looksLikePosts ? 'wordpress' : 'json';
  }
  if (typeof value === 'object' && value !== null) {
    const v = (value as { version?: unknown }).version;
    if (typeof v === 'string' && /jsonfeed\.org\/version/i.test(v)) return 'feed';
  }
  return 'json';
}

export function sniffKind(text: string, contentType?: string): SniffedKind {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  const json = sniffJson(t, contentType);
  if (json) return json;
  if (t.startsWith('<')) {
    const root = rootElement(t);
    if (root === 'rss' || root === 'feed' || root === 'rdf:rdf' || root?.endsWith(':rss')) return 'feed';
    if (root === 'html' || root === 'head' || root === 'body') return 'html';
    if (/^application\/(?:rss|atom|rdf)\+xml/i.test(contentType ?? '')) return 'feed';
    // A fragment of tags (no <html>) is still a web page; browsers read it as one.
    return 'html';
  }
  if (/^text\/html/i.test(contentType ?? '') && /<(?:p|div|article|body|html)\b/i.test(t)) return 'html';
  return 'text';
}
