/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F1 (Lin 2004), written out so the numbers are ours to explain.
 *
 * Tokens: lower-cased runs of letters/digits (Unicode-aware; rouge-score keeps only [a-z0-9]). No stemming
 * and no stopword removal, so scores sit about a point below the stemmed figures papers usually quote.
 * ROUGE-N counts clipped n-gram overlap; ROUGE-L uses the longest common subsequence of the whole token
 * sequences (not the per-sentence "Lsum" variant).
 */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface RougeScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

export function tokenize(s: string): string[] {
  return Array.from(s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu), (m) => m[0]);
}

function prf(overlap: number, candidateTotal: number, referenceTotal: number): Prf {
  const precision = candidateTotal ? overlap / candidateTotal : 0;
  const recall = referenceTotal ? overlap / referenceTotal : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function ngrams(tokens: string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

export function rougeN(candidate: string[], reference: string[], n: number): Prf {
  const c = ngrams(candidate, n);
  const r = ngrams(reference, n);
  let overlap = 0;
  for (const [g, count] of c) overlap += Math.min(count, r.get(g) ?? 0);
  return prf(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence, O(n·m) time and O(m) memory. */
export function lcsLength(a: string[], b: string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

export function rougeL(candidate: string[], reference: string[]): Prf {
  return prf(lcsLength(candidate, reference), candidate.length, reference.length);
}

/** F1 of ROUGE-1/2/L; strings are tokenized, token arrays are used as they are. */
export function rouge(candidate: string | string[], reference: string | string[]): RougeScores {
  const c = typeof candidate === 'string' ? tokenize(candidate) : candidate;
  const r = typeof reference === 'string' ? tokenize(reference) : reference;
  return { rouge1: rougeN(c, r, 1).f1, rouge2: rougeN(c, r, 2).f1, rougeL: rougeL(c, r).f1 };
}
