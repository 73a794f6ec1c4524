import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeL, rougeN, tokenize } from '../../scripts/eval/rouge.js';

describe('ROUGE', () => {
  it('tokenizes lower-cased letter/digit runs', () => {
    expect(tokenize('The U.S. fell 3.5%, "Macron" said!')).toEqual([
      'the',
      'u',
      's',
      'fell',
      '3',
      '5',
      'macron',
      'said',
    ]);
    expect(tokenize('Ça va, Zoë?')).toEqual(['ça', 'va', 'zoë']);
  });

  it('ROUGE-1 on a textbook case', () => {
    // Lin (2004): candidate "the cat was under the bed", reference "the cat was found under the bed".
    const r = rougeN(tokenize('the cat was under the bed'), tokenize('the cat was found under the bed'), 1);
    expect(r.precision).toBeCloseTo(6 / 6);
    expect(r.recall).toBeCloseTo(6 / 7);
    expect(r.f1).toBeCloseTo((2 * 1 * (6 / 7)) / (1 + 6 / 7));
  });

  it('ROUGE-2 clips repeated bigrams', () => {
    // Candidate bigrams: "the the" x3; reference has it once.
    const r = rougeN(['the', 'the', 'the', 'the'], ['the', 'the', 'cat'], 2);
    expect(r.precision).toBeCloseTo(1 / 3);
    expect(r.recall).toBeCloseTo(1 / 2);
  });

  it('ROUGE-L uses the longest common subsequence', () => {
    expect(lcsLength(['a', 'b', 'c', 'd', 'e'], ['a', 'c', 'e', 'x'])).toBe(3);
    const r = rougeL(tokenize('police killed the gunman'), tokenize('police kill the gunman'));
    expect(r.precision).toBeCloseTo(3 / 4);
    expect(r.recall).toBeCloseTo(3 / 4);
    expect(r.f1).toBeCloseTo(0.75);
  });

  it('identical texts score 1, disjoint texts 0, empty texts 0', () => {
    expect(rouge('a b c', 'a b c')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
    expect(rouge('a b c', 'x y z')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rouge('', 'x y z')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });
});
