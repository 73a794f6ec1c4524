// The bench's baseline: plain BullMQ (no Crier code, plain JavaScript, nothing compiled at run time) with
// Crier's queue shape: ingest → compose → publish-twitter | publish-facebook | publish-linkedin, the same
// job options (attempts, backoff, finished jobs kept for the retention), one shared connection and the same
// concurrency. Ingest reads the article file, compose cuts one post per platform, publish sends it to the
// fake endpoint (HTTPS, JSON) and keeps its id. Prints "ready" when the workers run; SIGTERM stops it.
// Environment: REDIS_URL, BENCH_PREFIX, BENCH_CONCURRENCY, BENCH_RAW_URL, BENCH_RETENTION_S, BENCH_QUEUES.
import { readFile } from 'node:fs/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const prefix = process.env.BENCH_PREFIX;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const endpoint = process.env.BENCH_RAW_URL;
const retention = Number(process.env.BENCH_RETENTION_S ?? 30 * 86_400);
const PLATFORMS = ['twitter', 'facebook', 'linkedin'];

const options = (attempts) => ({
  connection,
  prefix,
  defaultJobOptions: {
    attempts,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { age: retention },
    removeOnFail: { age: retention },
  },
});
const composeQueue = new Queue('compose', options(3));
const publishQueues = Object.fromEntries(PLATFORMS.map((p) => [p, new Queue(`publish-${p}`, options(5))]));

async function ingest(job) {
  const text = await readFile(job.data.location, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  await composeQueue.add('compose', {
    url: job.data.url,
    title: lines[1] ?? '',
    text: lines.slice(2).join('\n'),
  });
  return { outcome: 'ingested' };
}

async function compose(job) {
  const first = job.data.text.split('\n')[0] ?? '';
  const summary = first.length > 200 ? `${first.slice(0, first.lastIndexOf(' ', 200))}…` : first;
  for (const platform of PLATFORMS) {
    await publishQueues[platform].add(
      'publish',
      { platform, url: job.data.url, text: `${summary}\n\n${job.data.url}` },
      { jobId: `post-${job.id}-${platform}` },
    );
  }
  return { outcome: 'composed', posts: PLATFORMS.length };
}

async function publish(job) {
  const res = await fetch(`${endpoint}/${job.data.platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: job.data.text, link: job.data.url }),
  });
  if (res.status !== 201) throw new Error(`platform answered ${res.status}`);
  const { id } = await res.json();
  return { outcome: 'posted', postId: id };
}

const worker = (name, fn) => new Worker(name, fn, { connection, prefix, concurrency });
// BENCH_QUEUES: the stages this process runs (the per-stage drains run one at a time); default all of them.
const only = (process.env.BENCH_QUEUES || ['ingest', 'compose', ...PLATFORMS].join(',')).split(',');
const workers = [
  ...(only.includes('ingest') ? [worker('ingest', ingest)] : []),
  ...(only.includes('compose') ? [worker('compose', compose)] : []),
  ...PLATFORMS.filter((p) => only.includes(p)).map((p) => worker(`publish-${p}`, publish)),
];
await Promise.all(workers.map((w) => w.waitUntilReady()));
console.log('ready');

process.once('SIGTERM', async () => {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([composeQueue, ...Object.values(publishQueues)].map((q) => q.close()));
  connection.disconnect();
  process.exit(0);
});
