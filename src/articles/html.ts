import { Readability } from '@mozilla/readability';
import { type Article, makeArticle } from './article.js';
import { cleanArticleText, firstSentence, normalizeLine } from './clean.js';
import { scrubContacts } from './contacts.js';
import { isoDate } from './dates.js';
import { SourceError } from './errors.js';
import { removeFurnitureBoxes } from './html-furniture.js';
import { bylineName, extractPageMetadata } from './html-meta.js';
import { paragraphsFromNode, parseHtmlDocument } from './html-text.js';
import { isHttpUrl, locationUrl } from './location.js';

export interface HtmlOptions {
  /** The page's URL (base for relative links; the article link unless the page names a canonical one). */
  url?: string;
  /** Where the page was read from (file path or URL). */
  source: string;
  /** The article link an operator gave (`--url`): it wins over the page's canonical URL. */
  link?: string;
}

/** Below this many characters an extraction is taken as a miss and the fallbacks are tried. */
const MIN_TEXT_CHARS = 250;

function textLength(paragraphs: string[]): number {
  return paragraphs.reduce((n, p) => n + p.length, 0);
}

/** Readability's result as paragraphs; null when it finds nothing. Readability rewrites `doc`. */
function readabilityParagraphs(doc: Document, charThreshold: number) {
  let result: ReturnType<Readability<Node>['parse']>;
  try {
    result = new Readability<Node>(doc, { charThreshold, serializer: (n) => n }).parse();
  } catch {
    // Readability gives up on some malformed documents; the fallbacks below still apply.
    return null;
  }
  if (!result?.content) return null;
  return {
    paragraphs: paragraphsFromNode(result.content, { skipLinkOnly: true }),
    title: result.title,
    excerpt: result.excerpt,
    byline: result.byline,
    publishedTime: result.publishedTime,
  };
}

/** The text of the page's own article container, when it marks one. */
function containerParagraphs(doc: Document): string[] {
  const candidates = Array.from(
    doc.querySelectorAll('[itemprop~="articleBody" i], article, [role="main"], main'),
  ).map((el) => paragraphsFromNode(el, { skipLinkOnly: true }));
  return candidates.sort((a, b) => textLength(b) - textLength(a))[0] ?? [];
}

function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n|\n/)
    .map(normalizeLine)
    .filter(Boolean);
}

/** "Headline | Site" → "Headline", when the page names its site (og:site_name). */
function stripSiteName(title: string, siteName: string | undefined): string {
  if (!siteName || title === siteName) return title;
  for (const sep of [' | ', ' - ', ' – ', ' — ', ' :: ', ' » ', ' · ']) {
    if (title.endsWith(`${sep}${siteName}`)) return title.slice(0, -(sep.length + siteName.length)).trim();
    if (title.startsWith(`${siteName}${sep}`)) return title.slice(siteName.length + sep.length).trim();
  }
  return title;
}

/** Drops a first paragraph that repeats the headline (Readability often keeps the <h1>). */
function withoutLeadingTitle(paragraphs: string[], title: string): string[] {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  return paragraphs.length > 1 && norm(paragraphs[0]!) === norm(title) ? paragraphs.slice(1) : paragraphs;
}

/**
 * Extracts the article of a web page: main text by Readability (no scripts run, no resources load),
 * metadata from meta tags / JSON-LD. When Readability returns too little, the page's JSON-LD
 * articleBody or its own <article>/<main> container is used instead, whichever is longest.
 */
export function articleFromHtml(html: string, opts: HtmlOptions): Article {
  const pageUrl = opts.url ?? (isHttpUrl(opts.source) ? opts.source : locationUrl(opts.source));
  const doc = parseHtmlDocument(html, pageUrl);
  const meta = extractPageMetadata(doc, pageUrl);
  const docTitle = doc.title || doc.querySelector('h1')?.textContent || '';
  // Share bars, related posts, bio boxes, comments...: gone before any extraction (metadata is read).
  removeFurnitureBoxes(doc);

  const read = readabilityParagraphs(doc, 500);
  let paragraphs = read?.paragraphs ?? [];
  if (textLength(paragraphs) < MIN_TEXT_CHARS) {
    // Readability changed the document in place: the fallbacks work on a fresh parse (rare path).
    const fresh = () => {
      const d = parseHtmlDocument(html, pageUrl);
      removeFurnitureBoxes(d);
      return d;
    };
    const fallbacks = [
      paragraphs,
      meta.articleBody ? splitParagraphs(meta.articleBody) : [],
      containerParagraphs(fresh()),
      readabilityParagraphs(fresh(), 100)?.paragraphs ?? [],
    ];
    paragraphs = fallbacks.sort((a, b) => textLength(b) - textLength(a))[0] ?? [];
  }

  const title = scrubContacts(
    stripSiteName(normalizeLine(read?.title || meta.title || docTitle), meta.siteName),
  );
  const text = cleanArticleText(withoutLeadingTitle(paragraphs, title).join('\n\n'));
  if (!text)
    throw new SourceError(
      opts.source,
      'empty',
      'no article text found in the page (only navigation, links or boilerplate)',
    );

  const description = meta.description ?? read?.excerpt ?? undefined;
  return makeArticle({
    url: opts.link ?? meta.canonicalUrl ?? pageUrl,
    title: title || firstSentence(text),
    text,
    // The description shows on link cards: the same no-contact-details rule as the text applies.
    description: description ? scrubContacts(normalizeLine(description)) || undefined : undefined,
    image: meta.image,
    tags: meta.tags,
    publishedAt: meta.publishedAt ?? isoDate(read?.publishedTime ?? undefined),
    author: meta.author ?? (read?.byline ? bylineName(read.byline) : undefined),
    source: opts.source,
  });
}
