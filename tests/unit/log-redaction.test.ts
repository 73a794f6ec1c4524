import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';

/** What a log line says of a secret, wherever it travels: "[redacted]", never the secret. */
function lineOf(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } });
  logger.info(fields, 'a line');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('log lines never carry a secret', () => {
  it('censors secrets at the top, one level down, and in HTTP clients’ headers', () => {
    const err = Object.assign(new Error('401'), {
      config: { headers: { Authorization: 'Bearer abc' } },
      accessToken: 'tok-err',
    });
    const account = { id: 'x-main', accessToken: 'tok-1', refresh_token: 'tok-2', password: 'pw' };
    const line = lineOf({
      accessToken: 'tok-top',
      account,
      headers: { authorization: 'Bearer xyz' },
      err,
      jobId: 'post-1',
    });
    const text = JSON.stringify(line);
    for (const secret of ['tok-top', 'tok-1', 'tok-2', 'pw', 'Bearer abc', 'Bearer xyz', 'tok-err'])
      expect(text).not.toContain(secret);
    expect(line).toMatchObject({
      accessToken: '[redacted]',
      account: {
        id: 'x-main',
        accessToken: '[redacted]',
        refresh_token: '[redacted]',
        password: '[redacted]',
      },
      headers: { authorization: '[redacted]' },
      jobId: 'post-1',
    });
    expect((line.err as { message?: string }).message).toBe('401'); // still an error, with its message
    // The caller's objects are left as they were.
    expect(account.accessToken).toBe('tok-1');
    expect(err.accessToken).toBe('tok-err');
  });

  it('leaves a line without secrets as it is', () => {
    const result = { outcome: 'posted', postId: '42' };
    expect(lineOf({ jobId: 'post-1', result })).toMatchObject({ jobId: 'post-1', result });
  });
});
