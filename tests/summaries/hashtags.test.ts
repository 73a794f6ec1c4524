import { describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { hashtagCandidates, namedEntities, toHashtag } from '../../src/summaries/hashtags.js';

const article = (text: string, title = 'Brussels news of the day', tags: string[] = []) =>
  makeArticle({ url: 'https://news.example.com/story', title, text, source: 'test', tags });

describe('toHashtag', () => {
  it('gives no tag when a symbol is part of the name', () => {
    expect(toHashtag('C++')).toBeNull();
    expect(toHashtag('C#')).toBeNull();
    expect(toHashtag('AT&T')).toBeNull();
  });

  it('drops apostrophes without splitting the word', () => {
    expect(toHashtag("Angie's List")).toBe('#AngiesList');
    expect(toHashtag('Angie’s List')).toBe('#AngiesList');
    expect(toHashtag("O'Neill")).toBe('#ONeill');
  });

  it('joins words into CamelCase and treats free-standing symbols as separators', () => {
    expect(toHashtag('European Commission')).toBe('#EuropeanCommission');
    expect(toHashtag('Science & Technology')).toBe('#ScienceTechnology');
    expect(toHashtag('Jean-Luc Mélenchon')).toBe('#JeanLucMélenchon');
    expect(toHashtag('U.S. Open')).toBe('#USOpen');
    expect(toHashtag('2026')).toBeNull();
  });
});

describe('named entities for hashtags', () => {
  it('takes a word in capitals for emphasis as no name, an acronym as one', () => {
    const a = article(
      [
        'Servers MUST answer every request within the time limit set by NATO engineers.',
        'Clients MUST retry, and a client must give up after three tries, NATO said.',
        'Each answer MUST carry a version, the NATO document adds.',
      ].join(' '),
    );
    const entities = namedEntities(a);
    expect(entities).toContain('NATO');
    expect(entities).not.toContain('MUST');
  });

  it('keeps a multiword body whole when later called by its generic last word', () => {
    const a = article(
      [
        'The European Commission proposed new rules for digital markets on Monday.',
        'Officials at the European Commission said the rules would apply from next year.',
        'The Commission expects member states to agree quickly.',
        'The Commission has fined several companies in the past.',
      ].join(' '),
    );
    expect(namedEntities(a)).toContain('European Commission');
    expect(namedEntities(a)).not.toContain('Commission');
    expect(hashtagCandidates(a)).toContain('#EuropeanCommission');
    expect(hashtagCandidates(a)).not.toContain('#Commission');
  });

  it('still ranks a person by surname, and ends a name at a possessive', () => {
    const a = article(
      [
        'French President Emmanuel Macron urged Europe to reopen talks with Russia.',
        'Macron said talks with Russia were needed.',
        'Critics of Macron’s Renaissance party disagreed with Macron.',
      ].join(' '),
    );
    const entities = namedEntities(a);
    expect(entities).toContain('Macron');
    expect(entities.some((e) => e.includes('Macron Renaissance'))).toBe(false);
  });

  it('never turns C++ into #C or a possessive into a stray capital', () => {
    const a = article(
      [
        'Developers using C++ welcomed the new standard on Monday.',
        'The C++ committee voted for the changes in Prague.',
        "Angie's List reported record growth in Prague this year.",
      ].join(' '),
      'C++ committee meets in Prague',
      ['C++', "Angie's List"],
    );
    const tags = hashtagCandidates(a);
    expect(tags).not.toContain('#C');
    expect(tags).toContain('#AngiesList');
    expect(tags.some((t) => /#AngieS\b|#AngieSList/.test(t))).toBe(false);
    expect(tags).toContain('#Prague');
  });
});
