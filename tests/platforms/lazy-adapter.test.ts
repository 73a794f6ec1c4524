import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/core/post.js';
import type { PlatformAdapter, QuotaReading } from '../../src/platforms/adapter.js';
import { lazyAdapter } from '../../src/platforms/lazy-adapter.js';

const QUOTA: QuotaReading = { usedPercent: 40, at: '2026-01-01T00:00:00.000Z', detail: '40 of 100 posts' };

/** A real adapter's stand-in that records the calls it gets. */
function recording(calls: string[]): PlatformAdapter {
  return {
    platform: 'mastodon',
    account: 'm1',
    async publish(post) {
      calls.push(`publish ${post.articleId}`);
      return { postId: '1', url: 'https://example.social/@m/1' };
    },
    async find(post, opts) {
      calls.push(`find ${post.articleId} ${opts?.since?.toISOString() ?? '-'}`);
      return null;
    },
    async delete(postId) {
      calls.push(`delete ${postId}`);
      return { postId, outcome: 'already-gone' };
    },
    quota: () => QUOTA,
  };
}

const post = { articleId: 'a1' } as Post;

/** A lazy adapter over `recording`, with the calls it passed through and how many times it loaded. */
function counted() {
  const calls: string[] = [];
  const seen = { loads: 0 };
  const adapter = lazyAdapter('mastodon', 'm1', async () => {
    seen.loads += 1;
    return recording(calls);
  });
  return { adapter, calls, seen };
}

describe('lazyAdapter: the platform adapter loads on its first call', () => {
  it('loads nothing when built, once for concurrent first calls, and passes every call through', async () => {
    const { adapter, calls, seen } = counted();
    expect(seen.loads).toBe(0);
    expect(adapter.platform).toBe('mastodon');
    expect(adapter.account).toBe('m1');
    expect(adapter.quota?.()).toBeUndefined(); // nothing has answered yet
    expect(seen.loads).toBe(0);

    const since = new Date('2026-01-01T00:00:00Z');
    const [published, found] = await Promise.all([adapter.publish(post), adapter.find(post, { since })]);
    expect(published.postId).toBe('1');
    expect(found).toBeNull();
    expect(await adapter.delete('9')).toEqual({ postId: '9', outcome: 'already-gone' });
    expect(seen.loads).toBe(1);
    expect(calls.sort()).toEqual(['delete 9', 'find a1 2026-01-01T00:00:00.000Z', 'publish a1']);
    expect(adapter.quota?.()).toEqual(QUOTA);
  });

  it('a load that fails fails the call, and the next call loads again', async () => {
    let loads = 0;
    const adapter = lazyAdapter('mastodon', 'm1', async () => {
      loads += 1;
      if (loads === 1) throw new Error('cannot load the adapter module');
      return recording([]);
    });
    await expect(adapter.publish(post)).rejects.toThrow('cannot load the adapter module');
    expect((await adapter.publish(post)).postId).toBe('1');
    expect(loads).toBe(2);
  });

  it('a failure of the loaded adapter reaches the caller as it was thrown', async () => {
    const failure = Object.assign(new Error('rate limited'), { kind: 'rate-limited' });
    const adapter = lazyAdapter('mastodon', 'm1', async () => ({
      ...recording([]),
      publish: async () => {
        throw failure;
      },
    }));
    await expect(adapter.publish(post)).rejects.toBe(failure);
  });
});

describe('lazyAdapter.load: a worker loads the adapter before its first post', () => {
  it('loads once; the calls after it use what was loaded', async () => {
    const { adapter, calls, seen } = counted();
    await Promise.all([adapter.load?.(), adapter.load?.()]);
    expect(seen.loads).toBe(1);
    expect((await adapter.publish(post)).postId).toBe('1');
    expect(seen.loads).toBe(1);
    expect(calls).toEqual(['publish a1']);
  });
});
