import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalKey } from '../../src/articles/article.js';
import { readSource } from '../../src/articles/read.js';

const dir = mkdtempSync(join(tmpdir(), 'crier-inputs-'));
const page = `<!doctype html><html><head><title>Bridge vote delayed</title>
<link rel="canonical" href="https://example.org/news/bridge-vote/"></head><body><article><h1>Bridge vote delayed</h1>
<p>The council delayed its vote on the new bridge by a week on Monday, citing rising costs and a pending report.</p>
<p>Engineers said the report would be ready by Friday, and that construction could still start in the spring.</p>
</article></body></html>`;

describe('source files as they come', () => {
  it('reads a gzip-compressed page (a saved page.html.gz) as the page it contains', async () => {
    const file = join(dir, 'page.html.gz');
    writeFileSync(file, gzipSync(page));
    const [a] = await readSource(file);
    expect(a?.title).toBe('Bridge vote delayed');
    expect(a?.text).toContain('delayed its vote on the new bridge');
  });

  it('refuses a binary file with a clear error instead of posting garbage', async () => {
    const file = join(dir, 'image.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    await expect(readSource(file)).rejects.toThrow(/image\.bin: not a text document/);
  });

  it('knows "/story/" and "/story" as one article', () => {
    expect(canonicalKey('https://example.org/news/bridge-vote/')).toBe(
      canonicalKey('https://example.org/news/bridge-vote'),
    );
    expect(canonicalKey('https://example.org/')).toBe('https://example.org/');
  });

  it('knows an article by its link whatever the scheme, a www. prefix or tracking parameters', () => {
    const key = canonicalKey('https://example.org/news/bridge-vote?id=7');
    for (const variant of [
      'http://example.org/news/bridge-vote?id=7',
      'https://www.example.org/news/bridge-vote?id=7',
      'http://www.example.org/news/bridge-vote/?id=7&utm_source=feed#comments',
    ])
      expect(canonicalKey(variant)).toBe(key);
    // Another article, another site: other keys.
    expect(canonicalKey('https://example.org/news/bridge-vote?id=8')).not.toBe(key);
    expect(canonicalKey('https://news.example.org/news/bridge-vote?id=7')).not.toBe(key);
  });
});
