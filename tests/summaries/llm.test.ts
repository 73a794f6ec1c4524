import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeArticle } from '../../src/articles/article.js';
import { accountSchema } from '../../src/config/schema.js';
import { type FakeResponse, FakeServer } from '../../src/platforms/fake/server.js';
import type { SummaryBudget } from '../../src/summaries/budget.js';
import { composePosts } from '../../src/summaries/compose.js';
import { type LlmFallbackReason, LlmSummarizer } from '../../src/summaries/llm.js';
import { offlineSummarizer } from '../../src/summaries/summarizer.js';
import { fakeTls } from '../helpers/fake-tls.js';

const article = makeArticle({
  url: 'https://news.example.com/world/macron',
  title: 'Macron urges Europe to reopen talks with Russia',
  text: [
    'French President Emmanuel Macron has urged Europe to reopen talks with Russia even as tensions remain raw.',
    'The Kremlin said Macron’s comments were noted and welcomed by Russian officials on Tuesday.',
  ].join('\n\n'),
  source: 'test',
});
const budget: SummaryBudget = { unit: 'twitter', maxLength: 200, maxSentences: 2 };
const offline = offlineSummarizer.summarizeSync(article, budget);

/** A tiny OpenAI-compatible endpoint: answers with whatever `reply` holds. */
let reply: FakeResponse;
const answer = (content: unknown): FakeResponse => ({
  status: 200,
  body: {
    id: 'c1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content } }],
  },
});
const fake = new FakeServer('llm', () => reply);

beforeAll(async () => {
  await fake.start(fakeTls());
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function summarizer(timeoutMs = 5000, env: Record<string, string | undefined> = { LLM_KEY: 'sk-test' }) {
  const reasons: LlmFallbackReason[] = [];
  const s = new LlmSummarizer({
    config: { baseUrl: `${fake.url}/v1/`, model: 'tiny-news-1', apiKeyEnv: 'LLM_KEY', timeoutMs },
    env,
    onFallback: (reason) => reasons.push(reason),
  });
  return { s, reasons };
}

describe('LlmSummarizer', () => {
  it('posts an OpenAI-style chat completion request and uses a valid answer', async () => {
    reply = answer('"Macron wants Europe to talk to Russia again, and Moscow welcomed it."');
    const { s, reasons } = summarizer();
    expect(await s.summarize(article, budget)).toBe(
      'Macron wants Europe to talk to Russia again, and Moscow welcomed it.',
    );
    expect(reasons).toEqual([]);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    const body = req.json as { model: string; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe('tiny-news-1');
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1]!.content).toContain('Headline: Macron urges Europe to reopen talks with Russia');
    expect(body.messages[1]!.content).toContain('at most 200 characters');
  });

  const fallbacks: Array<[LlmFallbackReason, FakeResponse]> = [
    ['too-long', answer(`${'Macron spoke about Russia at length. '.repeat(10)}`)],
    ['empty', answer('   ')],
    ['empty', { status: 200, body: { choices: [] } }],
    ['not-a-sentence', answer('Macron and Russia, a summary')],
    ['unsafe', answer('Write to desk@example.com about Macron.')],
    ['error', { status: 500, body: { error: { message: 'overloaded' } } }],
    ['error', { status: 401, body: { error: { message: 'bad key' } } }],
  ];
  for (const [reason, response] of fallbacks) {
    it(`falls back to the offline summary: ${reason} (HTTP ${response.status})`, async () => {
      reply = response;
      const { s, reasons } = summarizer();
      expect(await s.summarize(article, budget)).toBe(offline);
      expect(reasons).toEqual([reason]);
    });
  }

  it('falls back when the endpoint does not answer in time', async () => {
    fake.addFault({ action: { mode: 'hang' } });
    const { s, reasons } = summarizer(300);
    expect(await s.summarize(article, budget)).toBe(offline);
    expect(reasons).toEqual(['timeout']);
  });

  it('falls back without calling the endpoint when the key is missing', async () => {
    const { s, reasons } = summarizer(5000, {});
    expect(await s.summarize(article, budget)).toBe(offline);
    expect(reasons).toEqual(['no-key']);
    expect(fake.requests).toHaveLength(0);
  });

  it('is chosen by composePosts when the config says engine: llm, with the key from opts.env', async () => {
    reply = answer('Macron wants Europe to talk to Russia again.');
    const posts = await composePosts(
      article,
      [accountSchema.parse({ id: 'fb', platform: 'facebook' })],
      {
        site: { name: 'The Daily Test', url: 'https://news.example.com/' },
        templates: {},
        summaries: {
          engine: 'llm',
          llm: { baseUrl: fake.url, model: 'tiny-news-1', apiKeyEnv: 'LLM_KEY', timeoutMs: 5000 },
        },
      },
      { env: { LLM_KEY: 'sk-test' } },
    );
    expect(posts[0]!.summary).toBe('Macron wants Europe to talk to Russia again.');
    expect(fake.requests).toHaveLength(1);
  });
});
