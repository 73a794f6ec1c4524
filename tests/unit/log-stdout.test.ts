import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const O_NONBLOCK = 0o4000;

describe('log lines on stdout', () => {
  it('are all written before a process killed the next instant dies, and leave stdout blocking', () => {
    // A worker's stdout is a pipe or socket to a log collector. The compiled logger (the test setup builds dist/)
    // in a process of its own: 200 lines, the descriptor's flags from /proc, then SIGKILL, which flushes nothing.
    const logger = pathToFileURL(resolve('dist/src/core/logger.js')).href;
    const script = [
      `const { createLogger } = await import(${JSON.stringify(logger)});`,
      "const log = createLogger({ level: 'info' });",
      "for (let i = 0; i < 200; i++) log.info({ i }, 'a line');",
      "const { readFileSync } = await import('node:fs');",
      "process.stderr.write(/flags:\\s+(\\d+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1]);",
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_FORMAT: 'json' },
      timeout: 20_000,
    });
    expect(r.signal).toBe('SIGKILL');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { i: number; msg: string });
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'a line', service: 'crier' });
    // Non-blocking, a synchronous writer would sleep 100 ms at every EAGAIN of a reader that falls behind.
    expect(Number.parseInt(r.stderr, 8) & O_NONBLOCK).toBe(0);
  });
});
