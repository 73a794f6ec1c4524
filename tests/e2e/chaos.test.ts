import { describe, expect, it } from 'vitest';
import { type RunOptions, SCENARIOS, type ScenarioName } from '../../scripts/chaos/scenarios.js';
import { fakeTls } from '../helpers/fake-tls.js';
import { SLOWDOWN, scaled } from '../helpers/wait.js';

/**
 * The chaos suite's six scenarios (scripts/chaos), in their reduced size: fakes with their own duplicate
 * refusal off, and per (article, account) the platforms must hold each post exactly once, as the ledger says.
 * `npm run chaos` runs them full size and prints the figures docs/reliability.md publishes.
 */
const INLINE: ScenarioName[] = ['api-storm', 'token-expiry']; // nothing kills their workers: no process start-up

describe('chaos, reduced', () => {
  const opts = (name: ScenarioName): RunOptions => ({
    size: 'reduced',
    slowdown: SLOWDOWN,
    inline: INLINE.includes(name),
    tls: fakeTls(),
  });

  it.each(Object.keys(SCENARIOS) as ScenarioName[])(
    '%s: nothing lost, nothing doubled, nothing stuck',
    async (name) => {
      const r = await SCENARIOS[name](opts(name));
      expect(r.problems).toEqual([]);
      expect(r).toMatchObject({ lost: 0, doubled: 0, stuck: 0 });
      expect(r.once).toBe(r.expected);
      expect(r.expected).toBeGreaterThanOrEqual(15);
    },
    scaled(120_000),
  );
});
