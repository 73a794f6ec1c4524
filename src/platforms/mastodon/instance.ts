import { createPlatformHttp } from '../http.js';
import { DEFAULT_MAX_CHARACTERS, type MastodonInstance } from './api.js';
import { classifyMastodon } from './classify.js';

/** How long an instance's limit is trusted before it is asked again. */
const CACHE_MS = 3_600_000;
/**
 * How long an instance that did not answer is not asked again: callers keep the default limit meanwhile, and
 * an editor's page or a composing worker does not wait out the timeout once more for each post.
 */
const FAILURE_MS = 60_000;
const cache = new Map<string, { maxCharacters: number; at: number }>();
const failures = new Map<string, { error: unknown; at: number }>();

/** The longest status the instance takes, from GET /api/v2/instance (configuration.statuses.max_characters). */
export async function instanceMaxCharacters(
  instanceUrl: string,
  opts: { timeoutMs?: number; now?: number } = {},
): Promise<number> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(instanceUrl);
  if (hit && now - hit.at < CACHE_MS) return hit.maxCharacters;
  const failed = failures.get(instanceUrl);
  if (failed && now - failed.at < FAILURE_MS) throw failed.error;
  const http = createPlatformHttp({
    platform: 'mastodon',
    baseUrl: instanceUrl,
    timeoutMs: opts.timeoutMs ?? 5000,
    classify: classifyMastodon,
  });
  let res: Awaited<ReturnType<typeof http.request>>;
  try {
    res = await http.request({ operation: 'read', method: 'GET', url: '/api/v2/instance' });
  } catch (error) {
    failures.set(instanceUrl, { error, at: now });
    throw error;
  }
  failures.delete(instanceUrl);
  const max = (res.body as MastodonInstance | undefined)?.configuration?.statuses?.max_characters;
  const maxCharacters =
    typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_CHARACTERS;
  cache.set(instanceUrl, { maxCharacters, at: now });
  return maxCharacters;
}

/** Forgets what instances said (tests). */
export function forgetInstances(): void {
  cache.clear();
  failures.clear();
}
