import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewSources } from '../../src/cli/commands/preview.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'crier-preview-'));
const paragraphs = [
  'The city council approved the new tram line on Monday after a debate that lasted most of the night.',
  'Construction starts in the spring and the first trams should run through the old town two years later.',
  'Opponents said the budget of 240 million euros left too little for buses in the outer districts.',
  'The mayor promised a separate plan for those districts before the summer holidays begin.',
];
const page = (head = '') =>
  `<!doctype html><html><head><title>Council approves tram line</title>${head}</head><body>
   <nav><a href="/">Home</a></nav><article><h1>Council approves tram line</h1>
   ${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;

describe('crier preview of saved pages', () => {
  it('a page naming no web link: url null, a warning, posts without a link', async () => {
    const file = join(dir, 'no-link.html');
    writeFileSync(file, page());
    const { records, errors } = await previewSources([file], {});
    expect(errors).toEqual([]);
    const [r] = records;
    expect(r?.article.url).toBeNull();
    expect(r?.warnings?.join(' ')).toMatch(/no web link/);
    expect(r?.posts).toHaveLength(PLATFORMS.length); // one per account of the sample config
    for (const p of r!.posts) expect(p.text).not.toMatch(/file:|https?:/);
  });

  it('--url gives a saved page its link, over the canonical URL the page names', async () => {
    const file = join(dir, 'canonical.html');
    writeFileSync(file, page('<link rel="canonical" href="https://news.example.com/old-address">'));
    const plain = await previewSources([file], {});
    expect(plain.records[0]?.article.url).toBe('https://news.example.com/old-address');
    const { records } = await previewSources([file], { url: 'https://news.example.com/tram' });
    expect(records[0]?.article.url).toBe('https://news.example.com/tram');
    expect(records[0]?.warnings).toBeUndefined();
    const tweet = records[0]!.posts.find((p) => p.platform === 'twitter')!;
    expect(tweet.text).toContain('https://news.example.com/tram');
  });
});

describe('crier preview of a feed with no items', () => {
  it('says so on stderr rather than printing nothing', async () => {
    const file = join(dir, 'empty-feed.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://harbour.example/</link></channel></rss>',
    );
    const r = await runCli(['preview', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^crier: warning: .*empty-feed\.xml: no articles to preview \(it lists no items\)$/,
      ),
    ]);
  });
});
