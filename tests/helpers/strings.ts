/**
 * `count` strings made of `pieces`, the i-th of (i % maxPieces) pieces, drawn by a seeded linear congruential
 * generator: the same strings on every run, so a failure names a string that fails again. For tests that hold a
 * fast path to the plain code or pattern it stands for.
 */
export function* seededStrings(
  seed: number,
  count: number,
  pieces: readonly string[],
  maxPieces: number,
): Generator<string> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let j = 0; j < i % maxPieces; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s += pieces[x % pieces.length];
    }
    yield s;
  }
}
