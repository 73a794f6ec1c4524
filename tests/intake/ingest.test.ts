import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

/** What a worker does with a bad source: the log names the problem; a refused or broken source is not retried. */

describe('ingest of bad sources in the worker', () => {
  const t = useRunningHarness();
  const ingest = (location: string, sourceId?: string) =>
    enqueueIngest(t.h.ctx, {
      location,
      kind: 'auto',
      correlationId: randomUUID(),
      ...(sourceId ? { sourceId } : {}),
    });

  it('a source at a refused address fails once, with the refusal in the log, and nothing is queued', async () => {
    const job = await ingest('http://169.254.169.254/latest/meta-data/');
    await until(() => t.h.log.events('failed').some((l) => l.jobId === job.id));
    const failed = t.h.log.events('failed').find((l) => l.jobId === job.id)!;
    expect(failed.error).toMatch(/refused: address 169\.254\.169\.254 \(link-local/);
    expect(t.h.log.events('retrying').filter((l) => l.jobId === job.id)).toHaveLength(0);
    expect(await t.h.ctx.ledger.recent(10)).toEqual([]);
  });

  it('a truncated feed fails with its line and column; a feed with skipped items logs each as an intake warning', async () => {
    const job = await ingest(resolve('tests/fixtures/feeds/truncated.xml'));
    await until(() => t.h.log.events('failed').some((l) => l.jobId === job.id));
    expect(t.h.log.events('failed').find((l) => l.jobId === job.id)!.error).toMatch(/line 9, column \d+/);

    await ingest(resolve('tests/fixtures/feeds/bad-links.xml'));
    await until(async () => (await t.h.ctx.ledger.recent(10)).length === 3);
    const warnings = t.h.log.events('intake-warning').map((l) => l.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"Click me" skipped: its link is a javascript: address/),
        expect.stringMatching(/"Local file" skipped: its link is a file: address/),
      ]),
    );
    const posted = await t.h.ctx.ledger.recent(10);
    expect(new Set(posted.map((e) => e.post.article.url.split('?')[0]))).toEqual(
      new Set(['https://harbour.example/ferry']),
    );
  });
});
