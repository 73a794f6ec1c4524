/**
 * An ICU segmenter made on its first use. Making the first segmenter of a process loads ICU's break rules
 * (10 to 20 ms of CPU here): a module that segments text should not make a command that only imports it
 * (`crier status` reaches the platforms' length rules) pay for that at start.
 */
export function lazySegmenter(
  locale: string,
  granularity: NonNullable<Intl.SegmenterOptions['granularity']>,
): () => Intl.Segmenter {
  let made: Intl.Segmenter | undefined;
  return () => {
    made ??= new Intl.Segmenter(locale, { granularity });
    return made;
  };
}
