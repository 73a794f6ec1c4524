import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { redisUrl } from '../helpers/redis.js';
import { scaled } from '../helpers/wait.js';

describe("npm run demo (the README's first command)", () => {
  it(
    'posts the sample article once to every platform, shows the posts and the status, and leaves no keys',
    async () => {
      const r = await runCli(
        [],
        { REDIS_URL: redisUrl() },
        { script: resolve('bin/demo.js'), deadlineMs: 60_000 },
      );
      expect(r.hung).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('posts received: X 1, Facebook 1, LinkedIn 1, Bluesky 1, Mastodon 1;');
      expect(r.stdout).toContain('What followers see');
      expect(r.stdout).toContain('"state": "posted"');
      // The demo works under a key prefix of its own and deletes it at the end.
      const prefix = /key prefix (crier-demo-[0-9a-f]+)/.exec(r.stdout)?.[1];
      expect(prefix).toMatch(/^crier-demo-/);
      const redis = new Redis(redisUrl());
      try {
        expect(await redis.keys(`${prefix}*`)).toEqual([]);
      } finally {
        redis.disconnect();
      }
    },
    scaled(90_000),
  );
});
