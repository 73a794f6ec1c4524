import type { QuotaReading } from '../adapter.js';

/**
 * Graph API usage headers (percent of the quota used; Graph throttles at 100):
 * - `X-App-Usage` / `X-Page-Usage` (legacy): `{"call_count":28,"total_cputime":25,"total_time":25}`
 * - `X-Business-Use-Case-Usage`: `{"<page-id>":[{"type":"pages","call_count":1,...,
 *   "estimated_time_to_regain_access":0}]}` where the regain time is in MINUTES.
 */

export interface UsageCounters {
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
}

export interface BusinessUseCaseUsage extends UsageCounters {
  type?: string;
  /** Minutes until calls are allowed again (0 when not throttled). */
  estimated_time_to_regain_access?: number;
}

export interface FacebookUsage {
  /** When the response carrying these headers was received. */
  at: Date;
  app?: UsageCounters;
  page?: UsageCounters;
  /** Keyed by the business object id (the Page id for Page tokens). */
  business?: Record<string, BusinessUseCaseUsage[]>;
}

export const USAGE_HEADERS = {
  app: 'x-app-usage',
  page: 'x-page-usage',
  business: 'x-business-use-case-usage',
} as const;

type HeaderBag = Record<string, unknown>;

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function counters(v: unknown): UsageCounters | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: UsageCounters = {};
  for (const k of ['call_count', 'total_cputime', 'total_time'] as const) {
    if (typeof o[k] === 'number') out[k] = o[k];
  }
  return out;
}

function business(v: unknown): Record<string, BusinessUseCaseUsage[]> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, BusinessUseCaseUsage[]> = {};
  for (const [id, list] of Object.entries(v as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    out[id] = list.flatMap((e): BusinessUseCaseUsage[] => {
      const c = counters(e);
      if (!c) return [];
      const o = e as Record<string, unknown>;
      return [
        {
          ...c,
          type: typeof o.type === 'string' ? o.type : undefined,
          estimated_time_to_regain_access:
            typeof o.estimated_time_to_regain_access === 'number'
              ? o.estimated_time_to_regain_access
              : undefined,
        },
      ];
    });
  }
  return out;
}

/** Reads the usage headers of one response; undefined when it carried none (or none parsed). */
export function parseUsageHeaders(headers: HeaderBag, at: Date): FacebookUsage | undefined {
  const app = counters(parseJson(header(headers, USAGE_HEADERS.app)));
  const page = counters(parseJson(header(headers, USAGE_HEADERS.page)));
  const biz = business(parseJson(header(headers, USAGE_HEADERS.business)));
  if (!app && !page && !biz) return undefined;
  return { at, app, page, business: biz };
}

/** Highest percentage among all counters (0 when nothing is known). */
export function peakUsagePercent(usage: FacebookUsage | undefined): number {
  if (!usage) return 0;
  const all: UsageCounters[] = [
    usage.app ?? {},
    usage.page ?? {},
    ...Object.values(usage.business ?? {}).flat(),
  ];
  return Math.max(0, ...all.flatMap((c) => [c.call_count ?? 0, c.total_cputime ?? 0, c.total_time ?? 0]));
}

/** Longest `estimated_time_to_regain_access` (minutes) among the business use case entries. */
export function regainMinutes(usage: FacebookUsage | undefined): number {
  const entries = Object.values(usage?.business ?? {}).flat();
  return Math.max(0, ...entries.map((e) => e.estimated_time_to_regain_access ?? 0));
}

/**
 * The usage as a quota reading: the highest counter, and when Graph gives access back when it names a
 * regain time (it throttles until then).
 */
export function usageQuota(usage: FacebookUsage): QuotaReading {
  const peak = peakUsagePercent(usage);
  const minutes = regainMinutes(usage);
  const until = minutes > 0 ? new Date(usage.at.getTime() + minutes * 60_000) : undefined;
  return {
    usedPercent: Math.min(100, peak),
    at: usage.at.toISOString(),
    ...(until ? { exhaustedUntil: until.toISOString() } : {}),
    detail: `Graph usage at ${peak}%${minutes > 0 ? `, access back in ${minutes} min` : ''}`,
  };
}
