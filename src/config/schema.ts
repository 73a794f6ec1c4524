import { z } from 'zod';
import type { PlatformName } from '../core/platform.js';
import { parseAllowEntry } from '../fetch/policy.js';
import type { AnyPlatform } from '../platforms/descriptor.js';
import { PLATFORM_DESCRIPTORS, PLATFORMS } from '../platforms/registry.js';
import { isValidCron, isValidTimeZone } from '../schedule/validate.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, "-" or "_" (it becomes part of Redis keys and job ids)');

const timezone = z
  .string()
  .refine(isValidTimeZone, { message: 'an IANA time zone such as "Europe/Paris" or "UTC"' });

const cron = z.string().refine(isValidCron, {
  message: 'a cron expression of 5 or 6 fields such as "0 8,12,18 * * 1-5"',
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');

export const sourceSchema = z.strictObject({
  id,
  /** auto: decided from the content (feed, HTML page, WordPress REST, plain text). */
  kind: z.enum(['auto', 'text', 'html', 'feed', 'wordpress']).default('auto'),
  /** File path (relative to the config file) or http(s) URL. */
  location: z.string().min(1),
  /** Article link for sources that carry none (plain text). */
  url: z.url().optional(),
  /** How often to look for new articles. */
  schedule: z.strictObject({ cron, timezone: timezone.default('UTC') }).optional(),
  /**
   * At the first look at a source, how many of its newest articles are posted; the older ones are only
   * remembered, so adding a feed with an archive does not post it all. 0: only what comes after. Unset: all.
   */
  backlog: z.number().int().min(0).optional(),
  /** Articles published longer ago than this are remembered, never posted. */
  maxAgeHours: z.number().positive().optional(),
  /**
   * Feeds: complete an item from its page. auto (default): when the feed carries only an excerpt;
   * always: every item; never: post from what the feed carries.
   */
  fullText: z.enum(['auto', 'always', 'never']).default('auto'),
});

const MB = 1024 * 1024;

/** A host name, `*.suffix`, IP address or CIDR block the fetch policy lets through although not public. */
const allowEntry = z
  .string()
  .max(300)
  .superRefine((v, ctx) => {
    try {
      parseAllowEntry(v);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        message: `a host name, IP address or CIDR block (${(e as Error).message})`,
      });
    }
  });

/** How Crier reads content from the web (sources, full-text pages, images, withdrawal checks). */
export const fetchSchema = z.strictObject({
  /** Hosts, addresses or CIDR blocks allowed although private (loopback, 10/8, ...); CRIER_FETCH_ALLOW adds to it. */
  allow: z.array(allowEntry).max(1000).default([]),
  /** Largest page or document read, after decompression. */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * MB)
    .default(5 * MB),
});

/** Limits of one feed read: a big feed is read within bounded memory, the rest of it reported. */
export const feedsSchema = z.strictObject({
  /** Largest feed document, after decompression. */
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * MB)
    .default(16 * MB),
  /** Items read from one feed (its first ones: feeds list the newest first); the others are reported. */
  maxItems: z.number().int().min(1).max(100_000).default(10_000),
});

/** What counts as an article at all. */
export const articlesSchema = z.strictObject({
  /** A page or item with fewer words than this (navigation, boilerplate) is reported and not posted. */
  minWords: z.number().int().min(0).max(10_000).default(12),
});

export const postingScheduleSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('immediate') }),
  z.strictObject({
    mode: z.literal('slots'),
    slots: z.array(cron).min(1),
    timezone,
    quietHours: z.strictObject({ from: hhmm, to: hhmm }).optional(),
    minGapMinutes: z.number().int().min(0).default(0),
  }),
]);

/** What every account has, whatever its platform. */
const accountFields = {
  id,
  enabled: z.boolean().default(true),
  /** Prefix of this account's credential variables: "" reads TWITTER_API_KEY, "SPORTS_" reads SPORTS_TWITTER_API_KEY. */
  envPrefix: z
    .string()
    .regex(/^([A-Z0-9_]*)$/, 'upper-case letters, digits and "_"')
    .default(''),
  /** Name of a template in `templates`, or an inline template. */
  template: z.string().optional(),
  /** Most characters the summary part may take (language-neutral: counts code points). */
  maxSummaryChars: z.number().int().positive().optional(),
  hashtags: z.strictObject({ max: z.number().int().min(0).max(10).default(2) }).default({ max: 2 }),
  utm: z
    .object({ source: z.string().min(1), medium: z.string().min(1), campaign: z.string().min(1).optional() })
    .optional(),
  schedule: postingScheduleSchema.default({ mode: 'immediate' }),
  /** Posting budget enforced across all workers before any API call, e.g. X free tier: 17 per 24 h. */
  budget: z
    .strictObject({ posts: z.number().int().positive(), windowHours: z.number().positive() })
    .optional(),
};

/** One platform's accounts: the common fields, `platform: <name>` and the settings its descriptor adds. */
function platformAccount(p: AnyPlatform) {
  return z.strictObject({ ...accountFields, platform: z.literal(p.name), ...p.settings });
}

/**
 * An account of any registered platform (chosen by `platform`). Strict: a misspelt key, or another platform's
 * setting (`thread` on a LinkedIn account), is an error.
 */
export const accountSchema = z.discriminatedUnion(
  'platform',
  PLATFORM_DESCRIPTORS.map(platformAccount) as unknown as [
    ReturnType<typeof platformAccount>,
    ...ReturnType<typeof platformAccount>[],
  ],
  { error: () => `one of ${PLATFORMS.join(', ')}` },
);

export const configSchema = z
  .strictObject({
    site: z.strictObject({ name: z.string().min(1), url: z.url() }),
    sources: z.array(sourceSchema).default([]),
    fetch: fetchSchema.default({ allow: [], maxBytes: 5 * MB }),
    feeds: feedsSchema.default({ maxBytes: 16 * MB, maxItems: 10_000 }),
    articles: articlesSchema.default({ minWords: 12 }),
    accounts: z.array(accountSchema).min(1),
    /** Named templates. Placeholders: {headline} {summary} {link} {hashtags} {site}. */
    templates: z.record(z.string(), z.string().min(1)).default({}),
    summaries: z
      .object({
        engine: z.enum(['offline', 'llm']).default('offline'),
        llm: z
          .object({
            baseUrl: z.url(),
            model: z.string().min(1),
            /** Name of the environment variable holding the API key. */
            apiKeyEnv: z.string().default('CRIER_LLM_API_KEY'),
            timeoutMs: z.number().int().positive().default(15000),
          })
          .optional(),
      })
      .default({ engine: 'offline' }),
    publishing: z
      .object({
        attempts: z.number().int().min(1).max(20).default(5),
        backoffMs: z.number().int().positive().default(5000),
        requestTimeoutMs: z.number().int().positive().default(15000),
        /** How long finished jobs and ledger entries are kept: must cover the dedupe window. */
        retentionDays: z.number().positive().default(30),
        /** How often a post held for an account that needs attention looks at the account again. */
        holdRecheckMs: z.number().int().positive().default(300_000),
        /** A job whose worker died is handed to another worker after this long (BullMQ lock duration). */
        lockDurationMs: z.number().int().min(1000).default(30_000),
      })
      .default({
        attempts: 5,
        backoffMs: 5000,
        requestTimeoutMs: 15000,
        retentionDays: 30,
        holdRecheckMs: 300_000,
        lockDurationMs: 30_000,
      }),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.accounts.forEach((a, i) => {
      if (seen.has(a.id))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'id'],
          message: `duplicate account id "${a.id}"`,
        });
      seen.add(a.id);
      if (a.template && !(a.template in cfg.templates) && !a.template.includes('{'))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'template'],
          message: `a template name from "templates" (${Object.keys(cfg.templates).join(', ') || 'none defined'}) or an inline template with {placeholders}`,
        });
    });
    const sources = new Set<string>();
    cfg.sources.forEach((s, i) => {
      if (sources.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'id'],
          message: `duplicate source id "${s.id}"`,
        });
      sources.add(s.id);
    });
  });

export type CrierConfig = z.infer<typeof configSchema>;
/** An account as validated: the common fields, its platform, and that platform's own settings. */
export type AccountConfig = z.infer<z.ZodObject<typeof accountFields>> & {
  platform: PlatformName;
  /** The platform's own settings (src/platforms/<name>/descriptor.ts `settings`). */
  readonly [setting: string]: unknown;
};
export type SourceConfig = z.infer<typeof sourceSchema>;
export type FetchConfig = z.infer<typeof fetchSchema>;
export type FeedsConfig = z.infer<typeof feedsSchema>;
export type PostingSchedule = z.infer<typeof postingScheduleSchema>;
