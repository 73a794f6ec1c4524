import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const O_NONBLOCK = 0o4000;

describe('log lines on stdout', () => {
  it('are written without making stdout non-blocking (pino would sleep 100 ms at every EAGAIN of a busy reader)', () => {
    // A worker's stdout is a pipe or socket to a log collector. The compiled logger (the test setup builds dist/)
    // in a process of its own, as a worker uses it: the descriptor's flags after a line, from /proc.
    const logger = pathToFileURL(resolve('dist/src/core/logger.js')).href;
    const script = [
      `const { createLogger } = await import(${JSON.stringify(logger)});`,
      "createLogger({ level: 'info' }).info('a line');",
      "const { readFileSync } = await import('node:fs');",
      "process.stderr.write(/flags:\\s+(\\d+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1]);",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_FORMAT: 'json' },
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ level: 'info', msg: 'a line', service: 'crier' });
    expect(Number.parseInt(r.stderr, 8) & O_NONBLOCK).toBe(0);
  });
});
