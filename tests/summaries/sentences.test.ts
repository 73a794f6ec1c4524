import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/summaries/sentences.js';
import {
  endsSentence,
  hasContactDetails,
  hasEmail,
  hasPhone,
  squashSpace,
} from '../../src/summaries/text.js';
import { hasCjk } from '../../src/summaries/words.js';

const texts = (t: string) => splitSentences(t).map((s) => s.text);

describe('splitSentences', () => {
  it('keeps abbreviations, titles and initials inside their sentence', () => {
    expect(texts('Mr. Smith met Dr. Jones in St. Louis on Jan. 5. They talked.')).toEqual([
      'Mr. Smith met Dr. Jones in St. Louis on Jan. 5.',
      'They talked.',
    ]);
    expect(texts('J. K. Rowling met President Vladimir V. Putin. Gen. Mandon spoke.')).toEqual([
      'J. K. Rowling met President Vladimir V. Putin.',
      'Gen. Mandon spoke.',
    ]);
    expect(texts('The U.S. economy grew. The U.K. did not.')).toEqual([
      'The U.S. economy grew.',
      'The U.K. did not.',
    ]);
  });

  it('keeps decimals, amounts and times exact', () => {
    expect(texts('Shares rose 3.5% to $1.2 billion at 5 p.m. on Monday. Analysts cheered.')).toEqual([
      'Shares rose 3.5% to $1.2 billion at 5 p.m. on Monday.',
      'Analysts cheered.',
    ]);
  });

  it('ends a sentence after a closing quote and keeps quoted statements whole', () => {
    expect(
      texts('“Geography does not change,” he said. “Russia will still be there.” Peskov agreed.'),
    ).toEqual(['“Geography does not change,” he said.', '“Russia will still be there.”', 'Peskov agreed.']);
    // sbd splits inside the quote; the open quote is joined back to its closing half.
    expect(texts('"We know where to look. We know how to look," she said. Then she left.')).toEqual([
      '"We know where to look. We know how to look," she said.',
      'Then she left.',
    ]);
  });

  it('treats each line as a paragraph and marks its last sentence', () => {
    const s = splitSentences('One here. Two here.\n\nA line without a full stop\nThree here.');
    expect(s.map((x) => [x.text, x.paragraph, x.lineEnd])).toEqual([
      ['One here.', 0, false],
      ['Two here.', 0, true],
      ['A line without a full stop', 1, true],
      ['Three here.', 2, true],
    ]);
  });

  it('splits CJK full stops and drops agency datelines', () => {
    expect(texts('日本語の文です。もう一つの文です。')).toEqual(['日本語の文です。', 'もう一つの文です。']);
    expect(texts('Kathmandu, Nepal (CNN)Rescuers pulled a man out. He lived.')[0]).toBe(
      'Rescuers pulled a man out.',
    );
  });

  it('never splits an emoji or a surrogate pair', () => {
    const t = 'Fans cheered 👩‍👩‍👧‍👦 and 🇫🇷 flags. Then 𝒳 happened! Done.';
    expect(texts(t).join(' ')).toBe(t);
  });
});

describe('text helpers', () => {
  it('finds e-mail addresses and phone numbers, not news numbers', () => {
    expect(hasEmail('Contact kousdas@gmail.com today.')).toBe(true);
    for (const phone of [
      'Call +44 20 7946 0958 now.',
      'Ring (555) 123-4567.',
      'Tel: 020 7946 0958.',
      'Dial 1-800-273-8255.',
    ]) {
      expect(hasPhone(phone)).toBe(true);
    }
    for (const news of [
      'After 3,000 volunteers in 2026, the target is 4,000 in 2027.',
      'The war lasted from 1939-1945.',
      'It was published on 2015-04-08 at 10:30.',
      'Prices rose 3.5 per cent to 1,250.75 points.',
      'He scored 12 goals in 34 games between 2014 and 2016.',
    ]) {
      expect(hasContactDetails(news), news).toBe(false);
    }
  });

  it('recognises sentence ends, also inside closing quotes', () => {
    expect(endsSentence('He left.')).toBe(true);
    expect(endsSentence('“It will still be there,” he said.”')).toBe(true);
    expect(endsSentence('Is it?”')).toBe(true);
    expect(endsSentence('これは文です。')).toBe(true);
    expect(endsSentence('Share this with')).toBe(false);
  });
});

describe('squashSpace', () => {
  it('collapses every whitespace run to one space and trims, and leaves squashed text as it is', () => {
    const reference = (s: string) => s.replace(/\s+/g, ' ').trim();
    const cases = [
      '',
      ' ',
      'one two',
      'one  two',
      ' one two',
      'one two ',
      'one\ttwo',
      'one\ntwo',
      'one\u00a0two',
      'one\u3000two',
      'one\u2028two',
      '\ufeffone',
      'a b c d. E f g!',
      'x \u00a0 y',
    ];
    for (const s of cases) expect(squashSpace(s)).toBe(reference(s));
    expect(squashSpace('one two')).toBe('one two');
  });
});

describe('hasCjk', () => {
  it('answers as the Han and kana pattern does, for every code point', () => {
    const pattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
    const differ: number[] = [];
    for (let cp = 0; cp <= 0x3ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = `a ${String.fromCodePoint(cp)} b`;
      if (hasCjk(s) !== pattern.test(s)) differ.push(cp);
    }
    expect(differ).toEqual([]);
    expect(hasCjk('Prime Minister 岸田 said')).toBe(true);
    expect(hasCjk('The minister said “no” — twice.')).toBe(false);
  });
});
