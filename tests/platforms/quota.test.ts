import { describe, expect, it } from 'vitest';
import { parseUsageHeaders, usageQuota } from '../../src/platforms/facebook/usage.js';
import { xQuota } from '../../src/platforms/twitter/quota.js';

const at = Date.UTC(2026, 10, 25, 10, 0, 0);
const s = (ms: number) => String(Math.floor(ms / 1000));

describe('X quota from the answer to a post', () => {
  it('takes the most used counter and knows when a used-up one comes back', () => {
    const q = xQuota(
      {
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '99',
        'x-rate-limit-reset': s(at + 900_000),
        'x-user-limit-24hour-limit': '17',
        'x-user-limit-24hour-remaining': '0',
        'x-user-limit-24hour-reset': s(at + 20 * 3_600_000),
        'x-app-limit-24hour-limit': '10000',
        'x-app-limit-24hour-remaining': '9000',
        'x-app-limit-24hour-reset': s(at + 3_600_000),
      },
      at,
    );
    expect(q).toEqual({
      usedPercent: 100,
      at: new Date(at).toISOString(),
      exhaustedUntil: new Date(at + 20 * 3_600_000).toISOString(),
      detail: '15-min window 99/100 left, user 24 h 0/17 left, app 24 h 9000/10000 left',
    });
  });

  it('is not used up while every counter has some left, and is unknown without headers', () => {
    const q = xQuota(
      { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '25', 'x-rate-limit-reset': s(at + 60_000) },
      at,
    );
    expect(q).toMatchObject({ usedPercent: 75 });
    expect(q?.exhaustedUntil).toBeUndefined();
    expect(xQuota({}, at)).toBeUndefined();
  });
});

describe('Facebook quota from the Graph usage headers', () => {
  it('takes the highest counter and the regain time in minutes', () => {
    const usage = parseUsageHeaders(
      {
        'x-app-usage': '{"call_count":28,"total_cputime":25,"total_time":25}',
        'x-business-use-case-usage':
          '{"1234":[{"type":"pages","call_count":100,"total_cputime":40,"total_time":30,"estimated_time_to_regain_access":7}]}',
      },
      new Date(at),
    )!;
    expect(usageQuota(usage)).toEqual({
      usedPercent: 100,
      at: new Date(at).toISOString(),
      exhaustedUntil: new Date(at + 7 * 60_000).toISOString(),
      detail: 'Graph usage at 100%, access back in 7 min',
    });
    const calm = parseUsageHeaders({ 'x-app-usage': '{"call_count":3}' }, new Date(at))!;
    expect(usageQuota(calm)).toMatchObject({ usedPercent: 3, detail: 'Graph usage at 3%' });
    expect(usageQuota(calm).exhaustedUntil).toBeUndefined();
  });
});
