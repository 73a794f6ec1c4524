import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { applyBacklogRules } from '../../src/articles/backlog.js';

const now = Date.UTC(2026, 10, 25, 12);
const item = (n: number, hoursAgo?: number) =>
  makeArticle({
    url: `https://example.org/story-${n}`,
    title: `Story ${n}`,
    text: 'Text.',
    source: 'feed',
    ...(hoursAgo === undefined ? {} : { publishedAt: new Date(now - hoursAgo * 3_600_000).toISOString() }),
  });
const titles = (list: { title: string }[]) => list.map((a) => a.title);

describe('which new articles of a source are posted', () => {
  it('at the first look, only the newest `backlog` ones; the rest are remembered', () => {
    // A feed in no particular order: the dates decide what is newest.
    const fresh = [item(1, 50), item(2, 2), item(3, 30), item(4, 5)];
    const v = applyBacklogRules(fresh, { backlog: 2 }, { firstLook: true, now });
    expect(titles(v.post)).toEqual(['Story 2', 'Story 4']);
    expect(titles(v.backlog)).toEqual(['Story 1', 'Story 3']);
    expect(v.tooOld).toEqual([]);
  });

  it('after the first look, every new article; backlog 0 posts nothing at the first look', () => {
    const fresh = [item(1, 50), item(2, 2)];
    expect(titles(applyBacklogRules(fresh, { backlog: 1 }, { firstLook: false, now }).post)).toEqual([
      'Story 1',
      'Story 2',
    ]);
    const none = applyBacklogRules(fresh, { backlog: 0 }, { firstLook: true, now });
    expect(none.post).toEqual([]);
    expect(none.backlog).toHaveLength(2);
  });

  it('without a backlog rule, posts every new article at the first look too', () => {
    const fresh = [item(1, 50), item(2, 2), item(3, 30)];
    const v = applyBacklogRules(fresh, {}, { firstLook: true, now });
    expect(titles(v.post)).toEqual(['Story 1', 'Story 2', 'Story 3']);
    expect(v.backlog).toEqual([]);
  });

  it('takes undated articles in the source order, after dated ones', () => {
    const fresh = [item(1), item(2), item(3, 1)];
    const v = applyBacklogRules(fresh, { backlog: 2 }, { firstLook: true, now });
    expect(titles(v.post)).toEqual(['Story 1', 'Story 3']);
  });

  it('never posts an article older than maxAgeHours; undated ones are not judged old', () => {
    const fresh = [item(1, 100), item(2, 10), item(3)];
    const v = applyBacklogRules(fresh, { backlog: 5, maxAgeHours: 48 }, { firstLook: false, now });
    expect(titles(v.post)).toEqual(['Story 2', 'Story 3']);
    expect(titles(v.tooOld)).toEqual(['Story 1']);
  });
});
