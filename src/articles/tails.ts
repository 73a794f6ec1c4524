/**
 * Furniture that a feed or CMS glues to the end of a paragraph or of the whole text, rather than
 * putting on a line of its own:
 *
 * - excerpt marks: "… [&#8230;]", "[...]", "Continue reading →", "Continue reading “Title”", "Read more »",
 *   "(more…)", and their French, German, Spanish, Italian, Portuguese and Dutch forms;
 * - the line WordPress (Yoast SEO) appends to every feed item, "The post <title> appeared first on
 *   <Site>.", in the translations sites actually publish;
 * - Medium's "<title> was originally published in <Publication> on Medium, where people are continuing...".
 *
 * A bracketed ellipsis becomes a plain "…" (the text was cut: that stays visible); a read-more link goes,
 * and the ellipsis before it stays. Every rule anchors at the end of the paragraph and needs either a
 * sentence boundary before it or a link arrow after it, so "Residents were urged to read more." stays.
 */

/** "Continue reading", "Read more" and their translations (what WordPress themes and plugins print). */
const READ_MORE = [
  'continue reading',
  'keep reading',
  'read more',
  'read the (?:full|whole|rest of the) (?:story|article|post|piece)',
  'read full (?:story|article)',
  'view (?:the )?full (?:story|article|post)',
  'more',
  'lire la suite',
  'lire plus',
  'weiterlesen',
  'mehr lesen',
  'leer más',
  'seguir leyendo',
  'continuar leyendo',
  'continua a leggere',
  'leggi tutto',
  'leggi di più',
  'continuar lendo',
  'continuar a ler',
  'leia mais',
  'ler mais',
  'lees verder',
  'lees meer',
].join('|');

/** What follows the words: a quoted title ("Continue reading “Title” →"), then arrows or chevrons. */
const QUOTED = String.raw`(?:\s*["“”«‘'][^"“”«»]{1,200}["”“»’'])?`;
const ARROWS = String.raw`\s*(?:→|⟶|»|›|>>|>|\.\.\.|…)*`;

/** A read-more link closing a paragraph after a sentence, an ellipsis or nothing, or with an arrow. */
const READ_MORE_TAIL = new RegExp(
  String.raw`(^|[.!?…:;)\]"”’]\s*|\s)[\[(]?\s*(?:${READ_MORE})${QUOTED}${ARROWS}\s*[\])]?\s*$`,
  'iu',
);
/** The same words closing a sentence ("…urged residents to read more."): kept. */
const NEEDS_MARK = new RegExp(String.raw`\s(?:${READ_MORE})\s*\.?$`, 'iu');

/** "[…]", "[...]", "[&hellip;]" (entities decoded or not) and WordPress's "(more…)". */
const BRACKET_ELLIPSIS = /\s*(?:\[\s*(?:…|\.\.\.|&hellip;|&#8230;|&#x2026;)\s*\]|\(more(?:…|\.\.\.)\))\s*$/iu;

/** Opening and linking words of the feed footer in the languages WordPress ships (Yoast SEO's rssafter). */
const POST_OPENERS = [
  'the post',
  "l[’']article",
  'cet article',
  'der beitrag',
  'la entrada',
  "l[’']articolo",
  'o post',
  'o artigo',
  'het bericht',
  'de post',
].join('|');
const FIRST_ON = [
  'appeared first on',
  'est apparu en premier sur',
  'erschien zuerst auf',
  'se publicó primero en',
  'sembra essere il primo su',
  'proviene da',
  'apareceu primeiro em',
  'verscheen eerst op',
].join('|');

/** The whole footer line: "The post <title> appeared first on <Site>." (site names are short). */
export const WORDPRESS_FOOTER = new RegExp(
  String.raw`^(?:${POST_OPENERS})\s.{1,300}?\s(?:${FIRST_ON})\s[^.!?]{1,100}(?:\.[\p{L}]{2,6})?[^.!?]{0,40}\.?$`,
  'iu',
);
/** The footer glued to the end of the last paragraph, after a sentence ("…on Monday. The post …"). */
const WORDPRESS_FOOTER_TAIL = new RegExp(
  String.raw`(?<=[.!?…\]"”’])\s+(?:${POST_OPENERS})\s.{1,300}?\s(?:${FIRST_ON})\s[^.!?]{1,100}(?:\.[\p{L}]{2,6})?[^.!?]{0,40}\.?$`,
  'iu',
);

/** Medium's feed footer (exact wording Medium appends to every item). */
export const MEDIUM_FOOTER =
  /^.{1,300}\swas originally published in\s.{1,150}\son Medium, where people are continuing the conversation by highlighting and responding to this story\.?$/iu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
}

/** "Continue reading <Title>" with the title unquoted (WordPress's screen-reader text), when it is known. */
function titledReadMore(title: string): RegExp {
  const t = escapeRegExp(title.trim()).replace(/\s+/g, '\\s+');
  return new RegExp(
    String.raw`(^|[.!?…:;)\]"”’]\s*|\s)(?:${READ_MORE})\s+["“‘']?${t}["”’']?${ARROWS}\s*$`,
    'iu',
  );
}

/** A cheap first look: a bracket, an ellipsis or a word of some read-more link near the end. */
const MAY_HAVE_TAIL =
  /[\])…→»›>]|\.\.\.|\b(?:reading|read|more|lire|weiterlesen|lesen|más|leyendo|leggere|leggi|lendo|ler|mais|verder|meer)\b/iu;

export interface TailOptions {
  /** The article's headline, when known: "Continue reading <headline>" goes even unquoted. */
  title?: string;
}

/**
 * A paragraph without the excerpt marks and read-more links at its end. An emptied paragraph
 * (it was only "Read more →") comes back as ''.
 */
export function trimParagraphTail(paragraph: string, opts: TailOptions = {}): string {
  // Most paragraphs end in a plain sentence: nothing to look for.
  if (!MAY_HAVE_TAIL.test(paragraph.slice(-240))) return paragraph;
  let p = paragraph;
  for (let guard = 0; guard < 3; guard++) {
    const before = p;
    if (opts.title && opts.title.trim().length > 3) p = p.replace(titledReadMore(opts.title), '$1');
    const m = READ_MORE_TAIL.exec(p);
    // "…urged residents to read more." is a sentence: only a mark before or an arrow after makes a link.
    if (m && !(NEEDS_MARK.test(p) && !/^[.!?…:;)\]"”’]/.test(m[1] ?? '') && m.index > 0)) {
      p = p.slice(0, m.index) + (m[1] ?? '');
    }
    // "…2019. [&#8230;]" ends a sentence: the mark goes; "…the council [&#8230;]" keeps an ellipsis.
    p = p.replace(BRACKET_ELLIPSIS, (_, offset: number) =>
      /[.!?…]["”’)]?$/.test(p.slice(0, offset)) ? '' : '…',
    );
    p = p.trimEnd();
    // A read-more link gone, an ellipsis left dangling after a full sentence ("…squall. …") goes too.
    if (p !== before) p = p.replace(/([.!?]["”’)]?)\s+(?:…|\.\.\.)$/u, '$1');
    if (p === before) break;
  }
  return /[\p{L}\p{N}]/u.test(p) ? p : '';
}

/** The last paragraph without a WordPress feed footer glued to its end (the footer alone gives ''). */
export function trimFooterTail(paragraph: string): string {
  if (WORDPRESS_FOOTER.test(paragraph) || MEDIUM_FOOTER.test(paragraph)) return '';
  return paragraph.replace(WORDPRESS_FOOTER_TAIL, '');
}
