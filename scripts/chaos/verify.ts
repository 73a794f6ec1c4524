import { articleId, canonicalKey } from '../../src/articles/article.js';

import type { LedgerEntry } from '../../src/ledger/ledger.js';
import { ACCOUNTS, CHAOS_PLATFORMS, type ChaosPlatform, type World } from './world.js';

/**
 * Per (article, account), what the fake platform holds against what Crier's ledger says:
 * - once: the platform has it exactly once, and the ledger says posted (with that post's id);
 * - doubled: the platform has it more than once;
 * - lost: the platform does not have it and nothing will send it (no ledger entry, or one that says posted);
 * - stuck: not finished after the settle time (pending, sending, unconfirmed, failed, or posted with another id).
 */
export interface Tally {
  expected: number;
  once: number;
  lost: number;
  doubled: number;
  stuck: number;
  /** One line per post that is not "once". */
  problems: string[];
}

/** The platform's posts, counted by the article link they carry (without tracking parameters). */
export function postsByLink(w: World): Record<ChaosPlatform, Map<string, string[]>> {
  const count = (pairs: [string | undefined, string][]) => {
    const m = new Map<string, string[]>();
    for (const [link, id] of pairs) {
      if (!link) continue;
      const k = canonicalKey(link);
      m.set(k, [...(m.get(k) ?? []), id]);
    }
    return m;
  };
  return {
    // A thread's replies carry no link: only the heads count.
    twitter: count(w.fakes.twitter.posts().map((t) => [t.urls[0]?.expanded_url, t.id])),
    facebook: count(w.fakes.facebook.posts().map((p) => [p.link, p.id])),
    linkedin: count(w.fakes.linkedin.posts().map((p) => [p.article?.source, p.id])),
  };
}

async function entryOf(w: World, link: string, platform: ChaosPlatform): Promise<LedgerEntry | null> {
  return w.ctx.ledger.get({
    articleId: articleId(canonicalKey(link)),
    platform,
    account: ACCOUNTS[platform],
  });
}

export async function tally(w: World, platforms: ChaosPlatform[] = [...CHAOS_PLATFORMS]): Promise<Tally> {
  const held = postsByLink(w);
  const t: Tally = { expected: 0, once: 0, lost: 0, doubled: 0, stuck: 0, problems: [] };
  for (const link of w.expected) {
    for (const platform of platforms) {
      t.expected += 1;
      const ids = held[platform].get(canonicalKey(link)) ?? [];
      const e = await entryOf(w, link, platform);
      const where = `${platform} ${link}`;
      if (ids.length > 1) {
        t.doubled += 1;
        t.problems.push(`doubled: ${where} (${ids.join(', ')}; ledger ${e?.state} ${e?.postId ?? ''})`);
      } else if (ids.length === 1 && e?.state === 'posted' && e.postId === ids[0]) {
        t.once += 1;
      } else if (ids.length === 0 && (!e || e.state === 'posted')) {
        t.lost += 1;
        t.problems.push(`lost: ${where} (ledger ${e ? `${e.state} ${e.postId}` : 'has no entry'})`);
      } else {
        t.stuck += 1;
        t.problems.push(
          `stuck: ${where} (platform ${ids.length}, ledger ${e?.state ?? 'none'}${e?.error ? `: ${e.error}` : ''})`,
        );
      }
    }
  }
  return t;
}

/** Every expected post recorded as posted in the ledger. */
export async function allPosted(
  w: World,
  platforms: ChaosPlatform[] = [...CHAOS_PLATFORMS],
): Promise<boolean> {
  for (const link of w.expected)
    for (const p of platforms) if ((await entryOf(w, link, p))?.state !== 'posted') return false;
  return true;
}
