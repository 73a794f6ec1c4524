import { describe, expect, it } from 'vitest';
import { lazySegmenter } from '../../src/core/segmenter.js';

describe('lazySegmenter: an ICU segmenter made on first use', () => {
  it('makes one segmenter, on the first call, and gives it back after', () => {
    const graphemes = lazySegmenter('und', 'grapheme');
    const first = graphemes();
    expect(graphemes()).toBe(first);
    // A family emoji (ZWJ sequence) and an e with a combining accent: two graphemes.
    expect([...first.segment('👩‍👩‍👧e\u0301')]).toHaveLength(2);
    expect(first.resolvedOptions().granularity).toBe('grapheme');
  });

  it('keeps the locale and granularity it was given', () => {
    const words = lazySegmenter('ja', 'word')();
    expect(words.resolvedOptions()).toMatchObject({ locale: 'ja', granularity: 'word' });
    expect([...words.segment('港務局は閉鎖')].filter((s) => s.isWordLike).length).toBeGreaterThan(1);
  });
});
