import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { retryPost } from '../../src/control/posts.js';
import { LINKEDIN_FAKE_CREDENTIALS } from '../../src/platforms/linkedin/fake.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { UNCONFIRMED_NOTE } from '../../src/queue/failure-actions.js';
import { collectStatus } from '../../src/status/status.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

/** A post the platform stored but did not confirm, and a look-up the platform refuses (issue 12, item 4). */
const yaml = (account: string) => `
site: { name: Test, url: https://example.org }
accounts:
  - ${account}
publishing: { attempts: 3, backoffMs: 100, requestTimeoutMs: 3000, retentionDays: 1 }
`;

describe('a refused look-up is not an invalid post', () => {
  let h: Harness | undefined;
  let workers: RunningWorkers | undefined;
  afterEach(async () => {
    await workers?.close();
    await h?.close();
  });

  const publish = (hh: Harness) =>
    enqueueIngest(hh.ctx, { location: ARTICLE, kind: 'auto', url: ARTICLE_URL, correlationId: randomUUID() });
  const failedJob = async (hh: Harness, platform: 'facebook' | 'linkedin') => {
    await waitFor(async () => (await hh.ctx.queues.publish[platform].getJobCounts('failed')).failed === 1, {
      what: 'the job to stop for the operator',
    });
    return (await hh.ctx.queues.publish[platform].getFailed())[0]!;
  };

  it('Facebook: 500 after storing, then look-ups Graph refuses: unconfirmed for the operator, attempts used, one post', async () => {
    h = await startHarness({ yaml: yaml('{ id: fb-page, platform: facebook }') });
    h.fakes.facebook.setState({ limits: { duplicateRule: 'off' } });
    h.fakes.facebook.failAfterStore(2);
    h.fakes.facebook.addFault({
      method: 'GET',
      count: 10,
      action: {
        mode: 'respond',
        response: {
          status: 400,
          body: {
            error: {
              message: 'Unsupported request - method type: get',
              type: 'GraphMethodException',
              code: 100,
            },
          },
        },
      },
    });
    workers = startWorkers(h.ctx);
    await publish(h);
    const job = await failedJob(h, 'facebook');
    expect(job.failedReason).toMatch(
      /^invalid: Unsupported request - method type: get \[look-up failed \(invalid, HTTP 400\); /,
    );
    expect(job.attemptsMade).toBe(3); // each look-up was an attempt, not a verdict on the post
    const [entry] = await h.ctx.ledger.recent(1);
    expect(entry).toMatchObject({ state: 'unconfirmed', kind: 'unconfirmed' });
    expect(entry?.error).toContain(UNCONFIRMED_NOTE);
    expect(h.fakes.facebook.posts()).toHaveLength(1);
    // The operator sees why, in status.
    const status = await collectStatus(h.ctx);
    expect(status.failures.find((f) => f.platform === 'facebook')).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('look-up failed'),
    });
  });

  it('LinkedIn without the read scope: the post stays unconfirmed, never sent blind', async () => {
    h = await startHarness({ yaml: yaml('{ id: li-page, platform: linkedin }') });
    h.fakes.linkedin.setState({ config: { duplicateCheck: false } }); // only Crier stands between a crash and a copy
    h.fakes.linkedin.setToken(LINKEDIN_FAKE_CREDENTIALS.accessToken, 'valid', ['openid', 'w_member_social']);
    h.fakes.linkedin.failAfterStore(500);
    workers = startWorkers(h.ctx);
    await publish(h);
    const job = await failedJob(h, 'linkedin');
    expect(job.failedReason).toMatch(/look-up failed \(auth, HTTP 403\)/);
    expect((await h.ctx.ledger.recent(1))[0]).toMatchObject({ state: 'unconfirmed' });
    expect(h.fakes.linkedin.posts()).toHaveLength(1);
    expect((await h.ctx.accountStates.get('li-page')).health).toBe('ok'); // a read scope is not a broken account
  });

  it('the operator who looked and found nothing resends it: no look-up, one post', async () => {
    h = await startHarness({ yaml: yaml('{ id: li-page, platform: linkedin }') });
    h.fakes.linkedin.setToken(LINKEDIN_FAKE_CREDENTIALS.accessToken, 'valid', ['openid', 'w_member_social']);
    h.fakes.linkedin.failBeforeStore(500); // not stored, but the answer does not say so
    workers = startWorkers(h.ctx);
    await publish(h);
    const job = await failedJob(h, 'linkedin');
    expect(h.fakes.linkedin.posts()).toHaveLength(0);
    const reads = () => h!.fakes.linkedin.server.requests.filter((r) => r.method === 'GET').length;
    const before = reads();
    await retryPost(h.ctx, String(job.id), { resend: true });
    const hh = h;
    await waitFor(async () => (await hh.ctx.ledger.recent(1))[0]?.state === 'posted', { what: 'posted' });
    expect(h.fakes.linkedin.posts()).toHaveLength(1);
    expect(reads()).toBe(before);
  });

  it('an account that trusts the platform duplicate check is sent again, and LinkedIn refuses the copy', async () => {
    h = await startHarness({ yaml: yaml('{ id: li-page, platform: linkedin, trustDuplicateCheck: true }') });
    h.fakes.linkedin.setToken(LINKEDIN_FAKE_CREDENTIALS.accessToken, 'valid', ['openid', 'w_member_social']);
    h.fakes.linkedin.failAfterStore(500);
    workers = startWorkers(h.ctx);
    await publish(h);
    const hh = h;
    await waitFor(async () => (await hh.ctx.ledger.recent(1))[0]?.state === 'posted', { what: 'posted' });
    const [entry] = await h.ctx.ledger.recent(1);
    expect(entry).toMatchObject({ duplicate: true, postId: h.fakes.linkedin.posts()[0]?.id });
    expect(h.fakes.linkedin.posts()).toHaveLength(1);
  });
});
