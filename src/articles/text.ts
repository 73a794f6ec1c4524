import { type Article, makeArticle } from './article.js';
import { cleanArticleLines, firstSentence, splitLines } from './clean.js';
import { scrubContacts } from './contacts.js';
import { SourceError } from './errors.js';
import { isFurnitureLine } from './furniture.js';
import { locationUrl } from './location.js';

export interface TextOptions {
  /**
   * The article's public link. Plain text carries none: without it the article gets the `file://`
   * URL of the source file (or the source itself when that is an http(s) URL). Such a URL is a stable
   * identity for dedupe, but it is no link to share: the CLI requires --url to publish text sources.
   */
  url?: string;
  /** Where the text was read from (file path or URL); names the article's origin and errors. */
  source: string;
}

/** A headline longer than this is taken as the first body paragraph of a text with no headline. */
const MAX_HEADLINE_CHARS = 200;
const BYLINE = /^[Bb]y\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*){0,5}$/u;

/**
 * Reads the plain-text article shape: the first line that is not site furniture is the headline,
 * then body paragraphs (blank-line separated, or one per line), with furniture around them dropped.
 * A "By <Name>" line right under the headline becomes the author.
 */
export function articleFromText(text: string, opts: TextOptions): Article {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const head = lines.findIndex((l) => l !== '' && !isFurnitureLine(l));
  if (head < 0) throw new SourceError(opts.source, 'empty', 'no article text (only site furniture)');

  let title = scrubContacts(lines[head]!);
  let rest = lines.slice(head + 1);
  let author: string | undefined;
  const bylineAt = rest.findIndex(Boolean);
  if (bylineAt >= 0 && BYLINE.test(rest[bylineAt]!)) {
    author = rest[bylineAt]!.replace(/^by\s+/i, '');
    rest = rest.slice(bylineAt + 1);
  }
  let body = cleanArticleLines(rest).text;
  if (title.length > MAX_HEADLINE_CHARS) {
    // No headline line: the text starts with its first paragraph.
    body = cleanArticleLines(lines.slice(head)).text;
    title = firstSentence(body);
  }
  if (!body) throw new SourceError(opts.source, 'empty', 'no article text after the headline');

  return makeArticle({
    url: opts.url ?? locationUrl(opts.source),
    title,
    text: body,
    author,
    source: opts.source,
  });
}
