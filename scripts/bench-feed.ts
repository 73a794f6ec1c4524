/**
 * `npm run bench:feed`: reading a big feed (10,000 items, about 7 MB) end to end with `readSource` (decode,
 * structure check, parse, HTML to text, cleaning), beside a baseline measured in the same run: feedsmith's
 * parse of the same text alone (the floor of any reader built on it). Reported: wall time and the heap and
 * RSS growth of each (after a forced GC), so a change that makes big feeds cost more shows as a ratio.
 * Usage: npm run bench:feed   (target: read within the default limits, heap growth under 400 MB)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseFeed } from 'feedsmith';
import { readSource } from '../src/articles/read.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ITEMS = 10_000;
function bigFeed(): string {
  const items: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const body = `<p>Story ${i}: the council met on Tuesday to discuss the harbour plan and the new ferry terminal. Officials said the work would begin in spring and take two years.</p><p>Residents raised questions about noise, traffic and the cost of the project, which is expected to run over budget by several million.</p><p>The mayor said a decision would be made next month after a public consultation in the town hall.</p>`;
    items.push(
      `<item><title>Story number ${i} about the harbour plan</title><link>https://news.example/story-${i}</link><guid>https://news.example/story-${i}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}</pubDate><category>Harbour</category><description><![CDATA[${body}]]></description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title><link>https://news.example/</link><description>d</description>${items.join('\n')}</channel></rss>`;
}

async function measure<T>(
  fn: () => Promise<T> | T,
): Promise<{ ms: number; heapMB: number; rssMB: number; result: T }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  let peakHeap = heap0;
  let peakRss = rss0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t = performance.now();
  const result = await fn();
  const ms = performance.now() - t;
  clearInterval(sampler);
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
  return { ms, heapMB: (peakHeap - heap0) / 2 ** 20, rssMB: (peakRss - rss0) / 2 ** 20, result };
}

const dir = mkdtempSync(join(tmpdir(), 'crier-bench-feed-'));
try {
  const xml = bigFeed();
  const file = join(dir, 'big.xml');
  writeFileSync(file, xml);
  const size = Buffer.byteLength(xml) / 2 ** 20;
  const base = await measure(() => parseFeed(xml));
  const read = await measure(() => readSource(file, { feeds: { maxBytes: 16 * 2 ** 20, maxItems: 10_000 } }));
  const f = (x: number) => x.toFixed(0);
  console.log(`feed: ${ITEMS} items, ${size.toFixed(1)} MB`);
  console.log(
    `feedsmith parse alone: ${f(base.ms)} ms, heap +${f(base.heapMB)} MB, rss +${f(base.rssMB)} MB`,
  );
  console.log(
    `readSource:            ${f(read.ms)} ms, heap +${f(read.heapMB)} MB, rss +${f(read.rssMB)} MB, ${read.result.length} articles`,
  );
  console.log(
    `ratio to the baseline: time ${(read.ms / base.ms).toFixed(1)}x, heap ${(read.heapMB / Math.max(1, base.heapMB)).toFixed(1)}x`,
  );
  const ok = read.result.length === ITEMS && read.heapMB < 400;
  console.log(ok ? 'target met' : 'TARGET MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
