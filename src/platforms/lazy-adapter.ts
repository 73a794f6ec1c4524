import type { PlatformName } from '../core/platform.js';
import type { PlatformAdapter } from './adapter.js';

/**
 * An adapter whose code (its module, its HTTP client: axios, twitter-api-v2…) loads on its first call. Every
 * command builds the accounts' adapters, and most never call them (`status`, `schedule list`, the operator
 * commands): a descriptor's `createAdapter` returns this, with `load` importing the platform's adapter module, so
 * only the commands that publish, look up or delete load it.
 *
 * Concurrent first calls share one load; a load that fails (a broken install) is tried again by the next call.
 * `quota()` is undefined until the adapter has loaded: nothing has answered before its first call.
 */
export function lazyAdapter(
  platform: PlatformName,
  account: string,
  load: () => Promise<PlatformAdapter>,
): PlatformAdapter {
  let loading: Promise<PlatformAdapter> | undefined;
  let loaded: PlatformAdapter | undefined;
  const adapter = (): Promise<PlatformAdapter> => {
    loading ??= load().then(
      (a) => {
        loaded = a;
        return a;
      },
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  return {
    platform,
    account,
    publish: async (post) => (await adapter()).publish(post),
    find: async (post, opts) => (await adapter()).find(post, opts),
    delete: async (postId) => (await adapter()).delete(postId),
    quota: () => loaded?.quota?.(),
    load: async () => {
      await adapter();
    },
  };
}
