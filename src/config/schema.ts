import * as z from 'zod';
import type { PlatformName } from '../core/platform.js';
import { parseAllowEntry } from '../fetch/policy.js';
import type { AnyPlatform } from '../platforms/descriptor.js';
import { PLATFORM_DESCRIPTORS } from '../platforms/descriptors.js';
import { PLATFORMS } from '../platforms/registry.js';
import { isValidCron, isValidTimeZone } from '../schedule/validate.js';
import { PLACEHOLDERS } from '../summaries/template.js';

/**
 * Every object is strict (a misspelt key at any depth is an error, never a silent default) and every number
 * has bounds: tests/config/strict.test.ts walks this schema and fails on an object that is not strict or a
 * number without a minimum and a maximum, so keys added later are held to the same rule.
 */

/** The longest delay a Node.js timer takes (2^31-1 ms, about 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Milliseconds handed to a timer: a whole number from `min` to 2^31-1. */
const ms = (min = 1) =>
  z.number().int().min(min).max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms (2^31-1, about 24.8 days)`);

/** An absolute http(s) URL. */
const httpUrl = z.url({ protocol: /^https?$/, message: 'an http(s) URL such as https://example.org' });

/** `{name}` in a template that is not a known placeholder (a typo would be posted as typed). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...template.matchAll(/\{([A-Za-z_][\w.-]*)\}/g)].map((m) => m[1]!).filter((n) => !known.has(n));
}

const PLACEHOLDER_LIST = PLACEHOLDERS.map((p) => `{${p}}`).join(' ');

function placeholderProblem(template: string): string | undefined {
  const bad = unknownPlaceholders(template);
  if (bad.length === 0) return undefined;
  const hint = bad
    .map((b) => {
      const near = PLACEHOLDERS.find((p) => editDistance(p, b.toLowerCase()) <= 2);
      return near ? `{${b}} is unknown: did you mean {${near}}?` : `{${b}} is unknown`;
    })
    .join('; ');
  return `only the placeholders ${PLACEHOLDER_LIST} (${hint})`;
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

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
  location: z
    .string()
    .min(1)
    .refine((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^https?:\/\//i.test(s), {
      message: 'a file path or an http(s) URL',
    }),
  /** Article link for sources that carry none (plain text). */
  url: httpUrl.optional(),
  /** How often to look for new articles. */
  schedule: z.strictObject({ cron, timezone: timezone.default('UTC') }).optional(),
  /**
   * At the first look at a source, how many of its newest articles are posted; the older ones are only
   * remembered, so adding a feed with an archive does not post it all. 0: only what comes after. Unset: all.
   */
  backlog: z.number().int().min(0).max(100_000).optional(),
  /** Articles published longer ago than this are remembered, never posted. */
  maxAgeHours: z.number().positive().max(87_600, 'at most 87600 (ten years)').optional(),
  /** required: the posts of this source's articles wait for an operator's approval (console or "crier approve"). */
  approval: z.enum(['required', 'none']).optional(),
  /** An article the site takes down: retract its posts already published (delete them on the platforms), or keep them. */
  onWithdrawn: z.enum(['retract', 'keep']).default('keep'),
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
    minGapMinutes: z.number().int().min(0).max(10_080, 'at most 10080 (a week)').default(0),
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
  maxSummaryChars: z.number().int().positive().max(100_000).optional(),
  hashtags: z.strictObject({ max: z.number().int().min(0).max(10).default(2) }).default({ max: 2 }),
  utm: z
    .strictObject({
      source: z.string().min(1),
      medium: z.string().min(1),
      campaign: z.string().min(1).optional(),
    })
    .optional(),
  schedule: postingScheduleSchema.default({ mode: 'immediate' }),
  /**
   * The platform refuses a second copy of a post by itself (X's duplicate content, LinkedIn's
   * DUPLICATE_POST): when the look-up for a post that may exist is refused, send it again and let the platform
   * refuse the copy. Off (the default): such a post stays unconfirmed and waits for the operator.
   */
  trustDuplicateCheck: z.boolean().default(false),
  /** required: this account's posts wait for an operator's approval (console or "crier approve") before they go. */
  approval: z.enum(['required', 'none']).default('none'),
  /** Posting budget enforced across all workers before any API call, e.g. X free tier: 17 per 24 h. */
  budget: z
    .strictObject({
      posts: z.number().int().positive().max(1_000_000),
      windowHours: z.number().positive().max(8784, 'at most 8784 (a year)'),
    })
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

/** An issue at `path` when an earlier item of the same list already uses `id` (which is then remembered). */
function checkUnique(
  ctx: z.RefinementCtx,
  seen: Set<string>,
  id: string,
  path: (string | number)[],
  what: 'account' | 'source',
): void {
  if (seen.has(id))
    ctx.addIssue({ code: 'custom', path, message: `an id no other ${what} uses ("${id}" is used twice)` });
  seen.add(id);
}

export const configSchema = z
  .strictObject({
    site: z.strictObject({
      name: z.string().min(1),
      url: httpUrl,
      /**
       * The zone of times given without an offset (`crier publish --at 2026-12-01T08:00`) and of times shown
       * for accounts that post immediately (the console's too). Unset: such a time is an error, and times show in
       * the machine's zone (the console's in UTC).
       */
      timezone: timezone.optional(),
    }),
    /** Where Crier tells the operator what needs them (Slack- or Mattermost-compatible incoming webhook). */
    notify: z.strictObject({ webhookUrl: httpUrl }).optional(),
    sources: z.array(sourceSchema).default([]),
    fetch: fetchSchema.default({ allow: [], maxBytes: 5 * MB }),
    feeds: feedsSchema.default({ maxBytes: 16 * MB, maxItems: 10_000 }),
    articles: articlesSchema.default({ minWords: 12 }),
    accounts: z.array(accountSchema).min(1),
    /** Named templates. Placeholders: {headline} {summary} {link} {hashtags} {site}. */
    templates: z.record(z.string(), z.string().min(1)).default({}),
    summaries: z
      .strictObject({
        engine: z.enum(['offline', 'llm']).default('offline'),
        llm: z
          .strictObject({
            baseUrl: httpUrl,
            model: z.string().min(1),
            /** Name of the environment variable holding the API key. */
            apiKeyEnv: z
              .string()
              .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as CRIER_LLM_API_KEY')
              .default('CRIER_LLM_API_KEY'),
            timeoutMs: ms().default(15000),
          })
          .optional(),
      })
      .default({ engine: 'offline' }),
    publishing: z
      .strictObject({
        attempts: z.number().int().min(1).max(20).default(5),
        backoffMs: ms().default(5000),
        requestTimeoutMs: ms().default(15000),
        /** How long finished jobs and ledger entries are kept: must cover the dedupe window. */
        retentionDays: z.number().positive().max(3650, 'at most 3650 (ten years)').default(30),
        /**
         * Finished jobs kept per queue (the most recent; older ones go even within retentionDays). The ledger,
         * not the job, is the record of a post: this only bounds what the queues' views (bull-board) list.
         */
        keepFinishedJobs: z.number().int().min(0).max(1_000_000).default(1000),
        /** How often a post held for an account that needs attention looks at the account again. */
        holdRecheckMs: ms().default(300_000),
        /** A job whose worker died is handed to another worker after this long (BullMQ lock duration). */
        lockDurationMs: ms(1000).default(30_000),
        /**
         * A job whose worker died this many times while running it (it may be what kills the worker) is not
         * run again: it fails with reason "stalled" for the operator. Below that, a stalled job is always
         * taken up again (BullMQ's own stall limit never ends a job).
         */
        maxStalls: z.number().int().min(1).max(1_000_000).default(10),
        /** How often the reconciler looks for unfinished work that has no live job (0: never). */
        reconcileIntervalMs: ms(0).default(60_000),
      })
      .default({
        attempts: 5,
        backoffMs: 5000,
        requestTimeoutMs: 15000,
        retentionDays: 30,
        keepFinishedJobs: 1000,
        holdRecheckMs: 300_000,
        lockDurationMs: 30_000,
        maxStalls: 10,
        reconcileIntervalMs: 60_000,
      }),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.accounts.forEach((a, i) => {
      checkUnique(ctx, seen, a.id, ['accounts', i, 'id'], 'account');
      const inline = a.template && !Object.hasOwn(cfg.templates, a.template) ? a.template : undefined;
      const problem = inline?.includes('{') ? placeholderProblem(inline) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'template'], message: problem });
      if (a.template && !Object.hasOwn(cfg.templates, a.template) && !a.template.includes('{'))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'template'],
          message: `a template name from "templates" (${Object.keys(cfg.templates).join(', ') || 'none defined'}) or an inline template with {placeholders}`,
        });
    });
    for (const [name, template] of Object.entries(cfg.templates)) {
      const problem = placeholderProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', path: ['templates', name], message: problem });
    }
    const sources = new Set<string>();
    cfg.sources.forEach((s, i) => {
      checkUnique(ctx, sources, s.id, ['sources', i, 'id'], 'source');
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
