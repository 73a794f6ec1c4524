import type { PlatformName } from '../../core/platform.js';
import { PLATFORM_DESCRIPTORS } from '../descriptors.js';
import type { FakePlatform } from './platform.js';

export interface AllFakes {
  /** Every platform's fake, in registry order. */
  readonly list: readonly FakePlatform[];
  /** One platform's fake (its own test API is `.fake`). */
  get(name: PlatformName): FakePlatform;
  /** Environment that points Crier at the fakes with credentials they accept (add NODE_EXTRA_CA_CERTS). */
  env(): Record<string, string>;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a fake of every registered platform on loopback HTTPS (ports: 0 = any free port). */
export async function startAllFakes(
  tls: { cert: string; key: string },
  ports: Partial<Record<PlatformName, number>> = {},
  host = '127.0.0.1',
): Promise<AllFakes> {
  const list: FakePlatform[] = [];
  try {
    for (const d of PLATFORM_DESCRIPTORS)
      list.push(await d.startFake(tls, { port: ports[d.name] ?? 0, host }));
  } catch (err) {
    await Promise.all(list.map((f) => f.close()));
    throw err;
  }
  const byName = new Map(list.map((f) => [f.name, f]));
  return {
    list,
    get(name) {
      const f = byName.get(name);
      if (!f) throw new Error(`no fake for platform "${name}"`);
      return f;
    },
    env: () => Object.assign({}, ...list.map((f) => f.env())) as Record<string, string>,
    reset: () => {
      for (const f of list) f.reset();
    },
    async close() {
      await Promise.all(list.map((f) => f.close()));
    },
  };
}
