import sbd from 'sbd';
import { lazySegmenter } from '../core/segmenter.js';
import { squashSpace } from './text.js';

/**
 * Sentence splitting.
 *
 * Why `sbd` and not `Intl.Segmenter` alone: ICU's sentence rules (UAX #29) break after every "Mr.", "Dr.",
 * "St.", "Gen." and after initials ("Vladimir V. Putin", "J. K. Rowling"), which would hand the summarizer
 * half-sentences; `sbd` keeps those, decimals and "U.S." together. ICU is still the better splitter for
 * CJK full stops (。！？), which `sbd` does not know, so those are split afterwards with `Intl.Segmenter`.
 * `compromise` splits well too but costs milliseconds per sentence, too slow for the compose budget.
 */
export interface Sentence {
  /** The sentence, whitespace collapsed, NFC. */
  text: string;
  /** Index of the line (paragraph) it came from. */
  paragraph: number;
  /** Position in the article, counting every sentence. */
  index: number;
  /** Last sentence of its line (paragraph). */
  lineEnd: boolean;
}

// sbd's English list plus titles and ranks common in news; lower-case words that often end a sentence
// ("no", "pop", "ed", "mi") are left out so "He said no." still ends a sentence.
const ABBREVIATIONS =
  `al adj assn Ave BSc MSc Co Corp Dem Dept eg est etc Fig fig i.e ie Inc inc Ltd Jan Feb Mar Apr
Jun Jul Aug Sep Sept Oct Nov Dec jr Miss Mrs Mr Ms Mx No Nos PhD MD BA MA Prof Dr pp Ref Rep Rev Sec Sgt Col Gen Sen
Gov Lt Maj Capt Cmdr Adm Cpl Pte Spc Pvt Supt Insp Det Fr St Mt Ft Sr Jr Hon Pres Univ Vol vs v approx Mon Tue Tues
Wed Thu Thur Thurs Fri Sat Sun`.split(/\s+/);

/** Sentence ends `sbd` does not know (CJK, danda, Arabic, ...): ICU's sentence rules split at them. */
const OTHER_STOP = /[。！？｡।॥؟۔։።፧။།]/u;
const segmenter = lazySegmenter('und', 'sentence');

// "(CNN)", "Kathmandu, Nepal (CNN)", "LONDON (Reuters) -": agency datelines before the first sentence.
const DATELINE =
  /^(?:[A-Z][\p{L} .,'-]{0,40} )?\((?:[A-Z][\p{L} .&]{1,30})\)\s*(?:[-—–]\s*)?(?=[\p{Lu}\p{N}"“‘'])/u;

function splitCjk(s: string): string[] {
  if (!OTHER_STOP.test(s)) return [s];
  return Array.from(segmenter().segment(s), (x) => x.segment.trim()).filter(Boolean);
}

/** Count of quote marks still open at the end of `s` (straight double quotes by parity, curly by balance). */
export function openQuotes(s: string): number {
  let curly = 0;
  let straight = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x201c) curly += 1;
    else if (c === 0x201d) curly -= 1;
    else if (c === 0x22) straight += 1;
  }
  return Math.max(0, curly) + (straight % 2);
}

/**
 * `"We know where to look. We know how to look," she said.` is one quoted statement: sbd splits inside it,
 * leaving a fragment with an unclosed quote. Join such fragments (up to 4) when that closes the quote;
 * otherwise (a quote the writer never closed) keep the pieces as they are.
 */
function joinOpenQuotes(parts: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const first = parts[i]!;
    if (openQuotes(first) === 0) {
      out.push(first);
      continue;
    }
    let joined = first;
    let end = -1;
    for (let j = i + 1; j < parts.length && j <= i + 3; j++) {
      joined = `${joined} ${parts[j]}`;
      if (openQuotes(joined) === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) out.push(first);
    else {
      out.push(joined);
      i = end;
    }
  }
  return out;
}

/** Splits article text (one paragraph per line, blank lines allowed) into sentences. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const lines = text.normalize('NFC').split(/\r?\n/);
  let paragraph = 0;
  for (const line of lines) {
    let clean = squashSpace(line);
    if (!clean) continue;
    if (out.length === 0) clean = clean.replace(DATELINE, '');
    const raw = sbd.sentences(clean, { abbreviations: ABBREVIATIONS }).flatMap(splitCjk);
    const sentences = joinOpenQuotes(raw.map(squashSpace).filter(Boolean));
    sentences.forEach((s, i) => {
      out.push({ text: s, paragraph, index: out.length, lineEnd: i === sentences.length - 1 });
    });
    paragraph += 1;
  }
  return out;
}
