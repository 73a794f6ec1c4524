import type { PlatformDescriptor } from '../descriptor.js';
import { lazyAdapter } from '../lazy-adapter.js';
import { classifyFacebookAnswer } from './classify.js';
import { FACEBOOK_VARIABLES, type FacebookCredentials, readFacebookCredentials } from './credentials.js';
import { facebookRules } from './rules.js';

/** Facebook Pages (Graph API): a Page token, the link as the post's link card. */
export const facebook: PlatformDescriptor<FacebookCredentials, Record<string, never>, 'facebook'> = {
  name: 'facebook',
  api: { env: 'FACEBOOK_GRAPH_URL', default: 'https://graph.facebook.com' },
  credentials: { variables: FACEBOOK_VARIABLES, read: (env, prefix) => readFacebookCredentials(env, prefix) },
  settings: {},
  rules: facebookRules,
  createAdapter: (a) =>
    lazyAdapter('facebook', a.account, async () =>
      (await import('./adapter.js')).createFacebookAdapter({
        account: a.account,
        credentials: a.credentials,
        options: a.options,
      }),
    ),
  classify: classifyFacebookAnswer,
  preview: async () => (await import('./preview.js')).facebookPreview,
  startFake: async (tls, opts) => (await import('./fake-platform.js')).startFacebookFake(tls, opts),
};
