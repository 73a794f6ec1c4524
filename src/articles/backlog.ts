import type { Article } from './article.js';

export interface BacklogRules {
  /** First look at a source: how many of its newest new articles are posted (the rest are only remembered); unset: all. */
  backlog?: number;
  /** New articles published longer ago than this are only remembered. */
  maxAgeHours?: number;
}

export interface BacklogVerdict {
  post: Article[];
  /** Remembered without posting: the older part of a source's backlog at its first look. */
  backlog: Article[];
  /** Remembered without posting: published before the age limit. */
  tooOld: Article[];
}

const time = (a: Article) => (a.publishedAt ? Date.parse(a.publishedAt) : Number.NaN);

/**
 * Which of a source's new articles go out. A feed added to Crier may list weeks of articles that are not news
 * to anyone: with `backlog` set, only the newest `backlog` of them are posted at the first look, and an article
 * older than `maxAgeHours` never is. Articles without a date are taken in the source's order (feeds list newest first).
 */
export function applyBacklogRules(
  fresh: Article[],
  rules: BacklogRules,
  opts: { firstLook: boolean; now: number },
): BacklogVerdict {
  const tooOld: Article[] = [];
  let candidates = fresh;
  if (rules.maxAgeHours !== undefined) {
    const limit = opts.now - rules.maxAgeHours * 3_600_000;
    candidates = fresh.filter((a) => {
      const old = time(a) < limit;
      if (old) tooOld.push(a);
      return !old;
    });
  }
  const limit = rules.backlog;
  if (!opts.firstLook || limit === undefined || candidates.length <= limit)
    return { post: candidates, backlog: [], tooOld };
  const newestFirst = candidates
    .map((a, order) => ({ a, order, t: time(a) }))
    .sort((x, y) => {
      const [tx, ty] = [x.t, y.t];
      if (!Number.isNaN(tx) && !Number.isNaN(ty) && tx !== ty) return ty - tx;
      if (Number.isNaN(tx) !== Number.isNaN(ty)) return Number.isNaN(tx) ? 1 : -1;
      return x.order - y.order;
    });
  const keep = new Set(newestFirst.slice(0, limit).map((x) => x.a));
  // Posted in the source's order, as any other poll.
  return {
    post: candidates.filter((a) => keep.has(a)),
    backlog: candidates.filter((a) => !keep.has(a)),
    tooOld,
  };
}
