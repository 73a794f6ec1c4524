import * as z from 'zod';
import type { PlatformDescriptor } from '../descriptor.js';
import { lazyAdapter } from '../lazy-adapter.js';
import type { MastodonSettings } from './adapter.js';
import { MASTODON_VISIBILITIES } from './api.js';
import { classifyMastodon } from './classify.js';
import { MASTODON_VARIABLES, type MastodonCredentials, readMastodonCredentials } from './credentials.js';
import { mastodonRules } from './rules.js';

/** Mastodon (the REST API of the account's own instance): statuses with an idempotency key, the instance's limit. */
export const mastodon: PlatformDescriptor<MastodonCredentials, MastodonSettings, 'mastodon'> = {
  name: 'mastodon',
  // Every account names its own instance (MASTODON_URL, with the account's prefix): there is no one API host.
  api: { env: 'MASTODON_URL' },
  credentials: { variables: MASTODON_VARIABLES, read: (env, prefix) => readMastodonCredentials(env, prefix) },
  settings: {
    /** Who sees the posts: public, unlisted (not in public timelines), private (followers) or direct. */
    visibility: z.enum(MASTODON_VISIBILITIES as [string, ...string[]]).default('public'),
    /** ISO 639-1 code of the posts' language, e.g. "en" (Mastodon guesses when absent). */
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'an ISO 639-1 language code such as "en"')
      .optional(),
    /** The instance's status limit, to pin it (else it is read from the instance, 500 when it cannot be). */
    maxCharacters: z.number().int().min(100).max(100_000).optional(),
  },
  rules: mastodonRules,
  createAdapter: (a) =>
    lazyAdapter('mastodon', a.account, async () =>
      (await import('./adapter.js')).createMastodonAdapter({
        account: a.account,
        credentials: a.credentials,
        settings: a.settings,
        options: a.options,
      }),
    ),
  classify: classifyMastodon,
  preview: async () => (await import('./preview.js')).mastodonPreview,
  startFake: async (tls, opts) => (await import('./fake-platform.js')).startMastodonFake(tls, opts),
};
