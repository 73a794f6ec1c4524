import type { AppContext } from '../context.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import { nextSlots, type UpcomingSlot } from '../schedule/scheduler.js';
import { formatInZone } from '../schedule/zone-time.js';
import { listScheduled, refFromId } from './posts.js';

/** Where a post not sent yet stands, in the words an editor uses. */
export type QueueState =
  | 'waiting'
  | 'scheduled'
  | 'slot'
  | 'awaiting-approval'
  | 'held'
  | 'rate-limited'
  | 'needs-attention'
  | 'paused'
  | 'retrying'
  | 'sending'
  | 'failed';

export interface QueueItem {
  /** Post id (post-<articleId>-<account>): what the operator commands take. */
  id: string;
  articleId: string;
  title: string;
  articleUrl?: string;
  platform: string;
  account: string;
  state: QueueState;
  /** When it goes out (UTC ISO): its time, its delay's end, or the posting slot it will take. */
  at?: string;
  /** `at` in the schedule's zone, with its offset. */
  local?: string;
  zone: string;
  /** Why it is in that state (failure, rate limit, account problem) and what to do. */
  reason?: string;
  text?: string;
  /** The operator edited its text. */
  editedAt?: string;
  /** The article was corrected after the edit: "article changed since your edit". */
  articleChangedAt?: string;
}

export interface AccountQueue {
  account: string;
  platform: string;
  /** ok | rate-limited | needs-attention | paused | disabled */
  health: string;
  healthReason?: string;
  /** What the operator should do about the account. */
  action?: string;
  until?: string;
  /** The zone times of this account are shown in: its posting schedule's, else the site's, else UTC. */
  zone: string;
  items: QueueItem[];
  /** Posting slots ahead (slots-mode accounts). */
  slots?: UpcomingSlot[];
}

/** The zone an account's times are shown in. */
export function zoneOf(ctx: AppContext, account: string): string {
  const s = ctx.accounts.get(account)?.config.schedule;
  if (s?.mode === 'slots') return s.timezone;
  return ctx.config.site.timezone ?? 'UTC';
}

/** The newsroom's zone (the week view's days). */
export const siteZone = (ctx: AppContext): string => ctx.config.site.timezone ?? 'UTC';

/**
 * Every post not sent yet, per account, with the time it goes out in its schedule's zone (posting slots
 * included), its state and why. Accounts with nothing waiting are listed too, with their health.
 */
export async function collectQueue(ctx: AppContext): Promise<AccountQueue[]> {
  const now = Date.now();
  const posts = await listScheduled(ctx);
  const slotCounts = new Map<string, number>();
  for (const p of posts)
    if (p.state === 'slot') slotCounts.set(p.account, (slotCounts.get(p.account) ?? 0) + 1);
  const allSlots = await nextSlots(ctx, Math.max(5, ...slotCounts.values()) + 10);

  const accounts: AccountQueue[] = [];
  for (const rt of ctx.accounts.values()) {
    const id = rt.config.id;
    const s = await ctx.accountStates.get(id, now);
    const health =
      (s.worker ? !s.worker.ready : Boolean(rt.disabled)) && s.health === 'ok' ? 'disabled' : s.health;
    const slots = allSlots.find((a) => a.account === id);
    accounts.push({
      account: id,
      platform: rt.config.platform,
      health,
      healthReason: s.reason ?? (health === 'disabled' ? (s.worker?.reason ?? rt.disabled) : undefined),
      action: s.action,
      until: s.until ? new Date(s.until).toISOString() : undefined,
      zone: zoneOf(ctx, id),
      items: [],
      slots: slots?.slots,
    });
  }
  const byAccount = new Map(accounts.map((a) => [a.account, a]));

  for (const p of posts) {
    const acc = byAccount.get(p.account);
    if (!acc) continue;
    let entry: LedgerEntry | null = null;
    try {
      entry = await ctx.ledger.get(refFromId(ctx, p.id));
    } catch {
      // account gone from the configuration
    }
    const stored = await ctx.articles.get(p.articleId);
    const item: QueueItem = {
      id: p.id,
      articleId: p.articleId,
      title: p.title,
      articleUrl: stored?.article.url,
      platform: p.platform,
      account: p.account,
      state: 'waiting',
      at: p.at,
      zone: acc.zone,
      reason: p.reason,
      text: p.text,
      editedAt: entry?.editedAt,
      articleChangedAt: entry?.articleChangedAt,
    };
    switch (p.state) {
      case 'awaiting-approval':
      case 'held':
      case 'failed':
        item.state = p.state;
        if (p.state === 'failed') item.reason = entry?.error ?? p.reason;
        break;
      case 'slot':
        item.state = 'slot';
        item.reason = p.at ? 'takes this posting slot' : 'waits for a posting slot beyond those listed';
        break;
      case 'active':
        item.state = 'sending';
        break;
      default: {
        // waiting, prioritized or delayed: the account's health says why it has not gone.
        if (acc.health === 'needs-attention' || acc.health === 'disabled') {
          item.state = 'needs-attention';
          item.reason = `${acc.healthReason ?? 'the account cannot post'}${acc.action ? ` → ${acc.action}` : ''}`;
        } else if (acc.health === 'paused') {
          item.state = 'paused';
          item.reason = `the account is paused: resume it to let its posts go`;
        } else if (acc.health === 'rate-limited') {
          item.state = 'rate-limited';
          item.at = acc.until ?? item.at;
          item.reason = acc.healthReason;
        } else if (p.state === 'delayed' && entry?.kind && entry.error) {
          item.state = entry.kind === 'rate-limited' ? 'rate-limited' : 'retrying';
          item.reason = `${entry.kind}: ${entry.error}`;
        } else if (p.state === 'delayed') {
          item.state = 'scheduled';
          item.reason = undefined;
        } else {
          item.reason = undefined;
        }
      }
    }
    if (item.at) item.local = formatInZone(new Date(item.at), acc.zone);
    acc.items.push(item);
  }
  for (const a of accounts)
    a.items.sort((x, y) => (x.at ?? '9999').localeCompare(y.at ?? '9999') || x.id.localeCompare(y.id));
  return accounts;
}
