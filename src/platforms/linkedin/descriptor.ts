import * as z from 'zod';
import type { PlatformDescriptor } from '../descriptor.js';
import { lazyAdapter } from '../lazy-adapter.js';
import type { LinkedInVisibility } from './api-types.js';
import { classifyLinkedInAnswer } from './classify.js';
import { LINKEDIN_VARIABLES, type LinkedInCredentials, readLinkedInCredentials } from './credentials.js';
import { linkedinRules } from './rules.js';

export interface LinkedInSettings {
  visibility: LinkedInVisibility;
  linkedinVersion?: string;
}

/** LinkedIn (versioned Posts API): little-text commentary, the article as a card with its thumbnail. */
export const linkedin: PlatformDescriptor<LinkedInCredentials, LinkedInSettings, 'linkedin'> = {
  name: 'linkedin',
  api: { env: 'LINKEDIN_API_URL', default: 'https://api.linkedin.com' },
  credentials: { variables: LINKEDIN_VARIABLES, read: readLinkedInCredentials },
  settings: {
    /** Who sees the posts (organizations accept PUBLIC only). */
    visibility: z.enum(['PUBLIC', 'CONNECTIONS', 'LOGGED_IN']).default('PUBLIC'),
    /** The LinkedIn-Version (YYYYMM) to send; LINKEDIN_VERSION in the environment overrides it. */
    linkedinVersion: z
      .string()
      .regex(/^\d{6}$/, 'a LinkedIn API version as YYYYMM, such as "202610"')
      .optional(),
  },
  rules: linkedinRules,
  createAdapter: (a) =>
    lazyAdapter('linkedin', a.account, async () =>
      (await import('./adapter.js')).createLinkedInAdapter({
        account: a.account,
        credentials: a.credentials,
        options: a.options,
        visibility: a.settings.visibility,
        onImageSkipped: a.onImageSkipped,
      }),
    ),
  classify: (answer, operation) => classifyLinkedInAnswer(answer, operation, 'urn:li:person:unknown'),
  preview: async () => (await import('./preview.js')).linkedinPreview,
  startFake: async (tls, opts) => (await import('./fake-platform.js')).startLinkedInFake(tls, opts),
};
