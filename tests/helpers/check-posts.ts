/**
 * The platforms' rules for a previewed article (`crier preview --json` record), checked from the outside:
 * the posts are read the way each platform and a follower would read them, without Crier's own helpers
 * (twitter-text is the library X publishes for counting). Returns one line per problem, each starting with
 * the platform's name; none means every post is fit to send.
 */
import twitterText from '../../src/summaries/twitter-text.js';

interface CheckedPost {
  platform: string;
  text?: string;
  summary?: string;
  link?: string;
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
      const parsed = twitterText.parseTweet(text);
      if (!parsed.valid) errors.push(`twitter: not a valid tweet (weighted length ${parsed.weightedLength})`);
      if (url && !linksTo(twitterText.extractUrls(text), url)) errors.push('twitter: no article link');
    }
    if (p === 'linkedin') {
      const chars = [...text].length;
      if (chars > 3000) errors.push(`linkedin: ${chars} characters > 3000`);
      const cut = littleTextCut(text);
      if (cut >= 0)
        errors.push(`linkedin: unescaped '${text[cut]}' at ${cut}: readers would see ${cut} characters`);
    }
    if (p === 'facebook') {
      if ([...text].length > 63_206) errors.push('facebook: message longer than 63206 characters');
      const host = url ? new URL(url).host : undefined;
      if (host && !(post.link ?? '').includes(host) && !text.includes(host)) errors.push('facebook: no link');
    }
  }
  return errors;
}
