import { createPlatformHttp } from '../http.js';
import { DEFAULT_MAX_CHARACTERS, type MastodonInstance } from './api.js';
import { classifyMastodon } from './classify.js';

/** How long an instance's limit is trusted before it is asked again. */
const CACHE_MS = 3_600_000;
const cache = new Map<string, { maxCharacters: number; at: number }>();

/** The longest status the instance takes, from GET /api/v2/instance (configuration.statuses.max_characters). */
export async function instanceMaxCharacters(
  instanceUrl: string,
  opts: { timeoutMs?: number; now?: number } = {},
): Promise<number> {
  const now = opts.now ?? Date.now();
  const hit = cache.get(instanceUrl);
  if (hit && now - hit.at < CACHE_MS) return hit.maxCharacters;
  const http = createPlatformHttp({
    platform: 'mastodon',
    baseUrl: instanceUrl,
    timeoutMs: opts.timeoutMs ?? 5000,
    classify: classifyMastodon,
  });
  const res = await http.request({ operation: 'read', method: 'GET', url: '/api/v2/instance' });
  const max = (res.body as MastodonInstance | undefined)?.configuration?.statuses?.max_characters;
  const maxCharacters =
    typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_CHARACTERS;
  cache.set(instanceUrl, { maxCharacters, at: now });
  return maxCharacters;
}

/** Forgets what instances said (tests). */
export function forgetInstances(): void {
  cache.clear();
}
