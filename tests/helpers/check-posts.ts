/**
 * The platforms' rules for a previewed article (`crier preview --json` record), checked from the outside:
 * the posts are read the way each platform and a follower would read them, without Crier's own helpers
 * (twitter-text is the library X publishes for counting). Returns one line per problem, each starting with
 * the platform's name; none means every post is fit to send.
 */
import { twitterText } from '../../src/summaries/twitter-text.js';

interface CheckedPost {
  platform: string;
  text?: string;
  summary?: string;
  link?: string;
  facets?: {
    index: { byteStart: number; byteEnd: number };
    features: { $type: string; uri?: string; tag?: string }[];
  }[];
}
interface CheckedRecord {
  article?: { url?: string | null; text?: string; title?: string };
  posts?: CheckedPost[];
}

const PLATFORMS = ['twitter', 'facebook', 'linkedin'];
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const FURNITURE = [
  /skip to (?:main )?content/i,
  /leave a (?:comment|reply)/i,
  /contact us/i,
  /with inputs from/i,
  /\bon (?:facebook|twitter|linkedin)\s*$/im,
];
/** What may close a sentence: punctuation, possibly inside closing quotes or brackets. */
const SENTENCE_END = /[.!?…"”’')\]]$/u;
/** LinkedIn "little text" markup characters: unescaped, LinkedIn silently cuts the post there. */
const LITTLE_TEXT = '|{}@[]()<>#\\*_~';

/** A summary without closing punctuation is still whole when it ends where a line of the article ends. */
function endsALine(articleText: string, summary: string): boolean {
  const tail = summary.slice(-40);
  return articleText.split('\n').some((line) => line.trimEnd().endsWith(tail));
}

/** Index where LinkedIn would cut the commentary, or -1: `\x` escapes, `#tag` is a hashtag. */
function littleTextCut(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1] ?? '';
    if (c === '\\' && LITTLE_TEXT.includes(next) && next !== '') {
      i += 1;
      continue;
    }
    if (c === '#' && /[\p{L}\p{N}_]/u.test(next)) continue;
    if (LITTLE_TEXT.includes(c)) return i;
  }
  return -1;
}

function linksTo(candidates: string[], url: string): boolean {
  const { host } = new URL(url);
  const bare = (u: string) => u.replace(/^https?:\/\//, '').split(/[?#]/)[0]!;
  return candidates.some((u) => url.includes(bare(u)) || u.includes(host));
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (s: string) => [...segmenter.segment(s)].length;

/** Bluesky: 300 graphemes, 3000 bytes, and every facet's UTF-8 byte range is exactly its link or #tag. */
function blueskyProblems(post: CheckedPost, url: string | undefined): string[] {
  const text = post.text ?? '';
  const errors: string[] = [];
  const n = graphemes(text);
  if (n > 300) errors.push(`bluesky: ${n} graphemes > 300`);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > 3000) errors.push(`bluesky: ${bytes.length} bytes > 3000`);
  const facets = post.facets ?? [];
  for (const f of facets) {
    const { byteStart, byteEnd } = f.index;
    const slice = new TextDecoder().decode(bytes.slice(byteStart, byteEnd));
    for (const feat of f.features) {
      const want = feat.uri ?? `#${feat.tag}`;
      if (slice !== want) errors.push(`bluesky: facet ${byteStart}-${byteEnd} is "${slice}", not "${want}"`);
    }
  }
  if (url && post.link && !facets.some((f) => f.features.some((x) => x.uri === post.link)))
    errors.push('bluesky: the link has no link facet');
  return errors;
}

/** Mastodon: 500 by its own count (graphemes, every http(s) link as 23), the link in the text. */
function mastodonProblems(post: CheckedPost, url: string | undefined): string[] {
  const text = post.text ?? '';
  const n = graphemes(text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)));
  const errors = n > 500 ? [`mastodon: ${n} characters (links as 23) > 500`] : [];
  if (url && post.link && !text.includes(post.link)) errors.push('mastodon: no article link in the text');
  return errors;
}

export function checkPosts(record: CheckedRecord): string[] {
  const errors: string[] = [];
  const posts = record.posts ?? [];
  const url = record.article?.url ?? undefined;
  const articleText = record.article?.text ?? '';
  for (const p of PLATFORMS) if (!posts.some((post) => post.platform === p)) errors.push(`${p}: no post`);
  for (const post of posts) {
    const p = post.platform;
    const text = post.text ?? '';
    if (!text.trim()) {
      errors.push(`${p}: empty text`);
      continue;
    }
    if (EMAIL.test(text)) errors.push(`${p}: e-mail address in the post`);
    for (const f of FURNITURE) if (f.test(text)) errors.push(`${p}: site furniture ${f}`);
    const summary = (post.summary ?? '').trim();
    if (!summary) errors.push(`${p}: no summary`);
    else if (!SENTENCE_END.test(summary) && !endsALine(articleText, summary))
      errors.push(`${p}: summary stops inside a sentence: …${summary.slice(-30)}`);
    if (p === 'twitter') {
      const parsed = twitterText().parseTweet(text);
      if (!parsed.valid) errors.push(`twitter: not a valid tweet (weighted length ${parsed.weightedLength})`);
      if (url && !linksTo(twitterText().extractUrls(text), url)) errors.push('twitter: no article link');
    }
    if (p === 'linkedin') {
      const chars = [...text].length;
      if (chars > 3000) errors.push(`linkedin: ${chars} characters > 3000`);
      const cut = littleTextCut(text);
      if (cut >= 0)
        errors.push(`linkedin: unescaped '${text[cut]}' at ${cut}: readers would see ${cut} characters`);
    }
    if (p === 'bluesky') errors.push(...blueskyProblems(post, url));
    if (p === 'mastodon') errors.push(...mastodonProblems(post, url));
    if (p === 'facebook') {
      if ([...text].length > 63_206) errors.push('facebook: message longer than 63206 characters');
      const host = url ? new URL(url).host : undefined;
      if (host && !(post.link ?? '').includes(host) && !text.includes(host)) errors.push('facebook: no link');
    }
  }
  return errors;
}
