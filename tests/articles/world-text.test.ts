import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { readSource, SourceError } from '../../src/articles/read.js';
import { parseConfig } from '../../src/config/load.js';
import { composePostsOffline } from '../../src/summaries/compose.js';
import { splitSentences } from '../../src/summaries/sentences.js';
import { offlineSummarizer } from '../../src/summaries/summarizer.js';

/** Text the world writes: scripts, sentence ends, grapheme clusters, bidi controls, legacy encodings. */

const config = parseConfig(
  `
site: { name: Harbour News, url: https://harbour.example }
accounts:
  - { id: x, platform: twitter }
  - { id: fb, platform: facebook }
  - { id: li, platform: linkedin }
`,
  '/test/crier.yaml',
);
const fixture = (...p: string[]) => resolve('tests/fixtures', ...p);
const article = (title: string, text: string) =>
  makeArticle({ url: 'https://harbour.example/story', title, text, source: 'test' });
const summaryOf = (title: string, text: string) =>
  offlineSummarizer.summarizeSync(article(title, text), { unit: 'twitter', maxLength: 250 });

const ZH = [
  '上海港务局星期五证实，旧的渡轮码头将在今年夏季结束时关闭。位于东边两公里处的新码头将从九月起接管所有航线，并增加夜间服务。当地店主表示，他们担心失去生意！',
  '港务局表示，新码头的建设费用超出预算约百分之十五？官员们说，这笔额外费用将由中央政府承担。',
].join('\n\n');
const JA =
  '東京都は金曜日、臨海部に新しいフェリーターミナルを建設する計画を正式に発表した。新しいターミナルは来年の夏に開業する予定で、夜間の便も新たに運航される。地元の商店主からは客足が減ることを心配する声が上がっている。';

describe('sentence ends of other scripts', () => {
  it('a Chinese article is summarised by its sentences, not its headline, joined without spaces', () => {
    const s = summaryOf('上海新码头将于九月启用', ZH);
    expect(s).toMatch(/^上海港务局星期五证实，旧的渡轮码头将在今年夏季结束时关闭。/);
    expect(s).not.toContain('。 ');
    expect(s).not.toContain('上海新码头将于九月启用');
  });

  it('a Japanese article too', () => {
    expect(summaryOf('新フェリーターミナル建設へ', JA)).toMatch(/^東京都は金曜日、.*発表した。/);
  });

  it.each([
    ['Devanagari danda', 'दिल्ली में नया बंदरगाह खुलेगा। सरकार ने शुक्रवार को इसकी घोषणा की। लोग खुश हैं।', 3],
    [
      'Arabic question mark',
      'هل سيغلق الميناء القديم؟ قالت السلطات إن الميناء سيغلق في الصيف. سيفتح ميناء جديد.',
      3,
    ],
    ['Urdu full stop', 'نیا بندرگاہ اگلے سال کھلے گا۔ حکومت نے جمعہ کو اعلان کیا۔', 2],
    ['Armenian', 'Նավահանգիստը կփակվի ամռանը։ Նորը կբացվի սեպտեմբերին։', 2],
  ])('%s ends a sentence', (_name, text, n) => {
    expect(splitSentences(text)).toHaveLength(n);
  });
});

describe('grapheme clusters', () => {
  const EMOJI =
    'The family 👨‍👩‍👧‍👦 waved a rainbow flag 🏳️‍🌈 and a ❤️ as the new ferry terminal opened to the public for the first time on Friday.';

  it('joiners and variation selectors survive intake and composing', async () => {
    const [a] = await readSource(fixture('pages', 'emoji.txt'), { url: 'https://harbour.example/e' });
    expect(a!.title).toContain('👨‍👩‍👧‍👦');
    expect(a!.text).toContain(EMOJI);
    for (const p of composePostsOffline(a!, config.accounts, config)) {
      expect(p.text).toContain('👨‍👩‍👧‍👦');
      expect(p.text).toContain('🏳️‍🌈');
    }
  });

  it('the zero-width non-joiner of Persian stays; a zero-width space goes', async () => {
    const [a] = await readSource(fixture('pages', 'persian.txt'), { url: 'https://harbour.example/p' });
    expect(a!.text).toContain('می\u200Cشود');
    expect(a!.text).not.toContain('\u200B');
  });
});

describe('bidirectional controls', () => {
  it('are removed from titles, links, descriptions and tags; direction marks stay in the body', async () => {
    const [a] = await readSource(fixture('pages', 'bidi.html'));
    expect(a!.title).toBe('Harbour invoice exe.png approved');
    expect(a!.url).toBe('https://harbour.example/invoice');
    expect(a!.description).toBe('The invoice exe.png was approved.');
    expect(a!.tags).toEqual(['Harbour']);
    expect(a!.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    for (const p of composePostsOffline(a!, config.accounts, config))
      expect(JSON.stringify(p)).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]|%E2%80%AE/i);
  });

  it('an operator link with an override is cleaned too', () => {
    const a = makeArticle({
      url: 'https://harbour.example/\u202Eabc',
      title: 'T\u202E',
      text: 'x',
      source: 's',
    });
    expect(a.url).toBe('https://harbour.example/abc');
    expect(a.title).toBe('T');
  });
});

describe('legacy encodings without a declaration', () => {
  it.each([
    ['shift_jis-undeclared.html', '新フェリーターミナル建設へ', '東京都は金曜日'],
    ['euc-jp-undeclared.html', '新フェリーターミナル建設へ', '東京都は金曜日'],
    ['gb18030-undeclared.html', '上海新码头将于九月启用', '上海港务局星期五证实'],
    ['windows-1251-undeclared.html', 'Паромный терминал закроется летом', 'Администрация порта'],
    ['windows-1252-undeclared.html', 'Le terminal des ferries fermera cet été', "L'autorité portuaire"],
    ['shift_jis-labelled-utf8.html', '新フェリーターミナル建設へ', '東京都は金曜日'],
  ])('%s reads right', async (file, title, start) => {
    const [a] = await readSource(fixture('encodings', file), { url: 'https://harbour.example/x' });
    expect(a!.title).toBe(title);
    expect(a!.text.startsWith(start)).toBe(true);
    expect(a!.text).not.toContain('\uFFFD');
  });

  it('a Shift_JIS plain-text file too', async () => {
    const [a] = await readSource(fixture('encodings', 'ja.txt.sjis'), {
      url: 'https://harbour.example/x',
      kind: 'text',
    });
    expect(a!.title).toBe('新フェリーターミナル建設へ');
  });
});

describe('no article, no post', () => {
  it.each([
    ['nav-only.html', /no article: \d+ words? of text|no article text found/],
    ['consent-only.html', /no article: \d+ words? of text|no article text found/],
  ])('%s is reported and not read as an article', async (file, message) => {
    const e = await readSource(fixture('pages', file), {
      url: 'https://harbour.example/',
      minWords: 12,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as SourceError).code).toBe('empty');
    expect((e as SourceError).message).toMatch(message);
  });

  it('a text shorter than the configured minimum is reported with the minimum and the key', async () => {
    const e = (await readSource(fixture('pages', 'emoji.txt'), {
      url: 'https://harbour.example/',
      minWords: 500,
    }).catch((x: unknown) => x)) as SourceError;
    expect(e.message).toMatch(/the minimum is 500 \(articles\.minWords\)/);
  });
});
