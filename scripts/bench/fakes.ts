/**
 * Child process of the bench: the three fake platforms Crier posts to, and a minimal endpoint for the raw
 * BullMQ baseline, all on loopback HTTPS, answering at once or after `--latency` ms. Limits a real account
 * would hit in a bench (X's 100 posts a day, LinkedIn's 150, Facebook's hourly calls, duplicate content) are
 * lifted: the bench measures Crier, not the platforms' rules. Prints one JSON line (environment for Crier,
 * the raw endpoint), then serves until stdin closes; on "counts" on stdin it prints the posts each holds.
 * Usage: node bin/run.js scripts/bench/fakes.ts <cert.pem> <key.pem> [--latency ms]
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { FacebookFake } from '../../src/platforms/facebook/fake.js';
import { startAllFakes } from '../../src/platforms/fake/all.js';
import type { FakeHandler } from '../../src/platforms/fake/server.js';
import type { LinkedInFake } from '../../src/platforms/linkedin/fake.js';
import type { TwitterFake } from '../../src/platforms/twitter/fake.js';

const [certPath, keyPath] = process.argv.slice(2);
const latencyArg = process.argv.indexOf('--latency');
const latencyMs = latencyArg > 0 ? Number(process.argv[latencyArg + 1]) : 0;
const tls = { cert: readFileSync(certPath!, 'utf8'), key: readFileSync(keyPath!, 'utf8') };
const delay = () => (latencyMs > 0 ? new Promise((r) => setTimeout(r, latencyMs)) : Promise.resolve());

const fakes = await startAllFakes(tls);
const MANY = 1_000_000_000;
(fakes.get('twitter').fake as TwitterFake).setState({
  limits: { userDay: MANY, appDay: MANY, window: { tweets: MANY, me: MANY, timeline: MANY, media: MANY } },
});
(fakes.get('facebook').fake as FacebookFake).setState({
  limits: { callsPerHour: MANY, duplicateRule: 'off' },
});
(fakes.get('linkedin').fake as LinkedInFake).setState({
  config: { memberDailyLimit: MANY, appDailyLimit: MANY },
});

// A slow API: every request of a fake answers `latencyMs` later (the handler is FakeServer's, wrapped).
if (latencyMs > 0) {
  for (const { server } of fakes.list) {
    const s = server as unknown as { handler: FakeHandler };
    const inner = s.handler;
    s.handler = async (req, ctx) => {
      await delay();
      return inner(req, ctx);
    };
  }
}

// The raw baseline's platform: accepts a JSON post and answers 201 with an id, nothing else.
let rawPosts = 0;
const raw = createServer(tls, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    await delay();
    rawPosts += 1;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: String(rawPosts) }));
  });
});
await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
const rawUrl = `https://127.0.0.1:${(raw.address() as AddressInfo).port}`;

console.log(JSON.stringify({ env: fakes.env(), rawUrl }));
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() === 'counts') {
    console.log(
      JSON.stringify({
        counts: {
          twitter: fakes.get('twitter').posts().length,
          facebook: fakes.get('facebook').posts().length,
          linkedin: fakes.get('linkedin').posts().length,
          raw: rawPosts,
        },
      }),
    );
  }
});
input.on('close', async () => {
  raw.close();
  await fakes.close();
  process.exit(0);
});
