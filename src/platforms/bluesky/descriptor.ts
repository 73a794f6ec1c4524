import * as z from 'zod';
import type { PlatformDescriptor } from '../descriptor.js';
import { lazyAdapter } from '../lazy-adapter.js';
import type { BlueskySettings } from './adapter.js';
import { classifyBluesky } from './classify.js';
import {
  BLUESKY_VARIABLES,
  type BlueskyCredentials,
  DEFAULT_SERVICE_URL,
  readBlueskyCredentials,
} from './credentials.js';
import { blueskyRules } from './rules.js';

/** Bluesky (AT Protocol, plain XRPC): an app-password session, posts with facets and a link card. */
export const bluesky: PlatformDescriptor<BlueskyCredentials, BlueskySettings, 'bluesky'> = {
  name: 'bluesky',
  api: { env: 'BLUESKY_SERVICE_URL', default: DEFAULT_SERVICE_URL },
  credentials: { variables: BLUESKY_VARIABLES, read: (env, prefix) => readBlueskyCredentials(env, prefix) },
  settings: {
    /** Languages of the posts, BCP 47 (e.g. ["en"], at most 3). */
    langs: z
      .array(
        z
          .string()
          .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a BCP 47 language tag such as "en" or "pt-BR"'),
      )
      .max(3)
      .optional(),
  },
  rules: blueskyRules,
  createAdapter: (a) =>
    lazyAdapter('bluesky', a.account, async () =>
      (await import('./adapter.js')).createBlueskyAdapter({
        account: a.account,
        credentials: a.credentials,
        settings: a.settings,
        options: a.options,
        tokens: a.tokens,
        onImageSkipped: a.onImageSkipped,
      }),
    ),
  classify: classifyBluesky,
  preview: async () => (await import('./preview.js')).blueskyPreview,
  startFake: async (tls, opts) => (await import('./fake-platform.js')).startBlueskyFake(tls, opts),
};
