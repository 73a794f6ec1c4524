import { loadConfig } from '../../config/load.js';
import { createContext } from '../../context.js';
import { collectArticleStatus, renderArticleStatus } from '../../status/article.js';
import { collectStatus, type Status } from '../../status/status.js';
import { createOutput } from '../output.js';
import { showTime, zoneFor } from '../times.js';

/** Formats an ISO time for an account (none: the site), in its schedule's zone with the offset. */
export type ShowTime = (iso: string | undefined | null, account?: string) => string;

export async function runStatus(opts: { json?: boolean; limit?: number; article?: string }): Promise<void> {
  const out = createOutput(opts);
  const config = loadConfig();
  const show: ShowTime = (iso, account) => showTime(iso, zoneFor(config, account));
  const ctx = await createContext({ forWorker: false, logger: out.logger, config });
  try {
    if (opts.article) {
      const a = await collectArticleStatus(ctx, opts.article);
      out.result(() => renderArticleStatus(a, show), a);
      return;
    }
    const status = await collectStatus(ctx, { limit: opts.limit });
    out.result(() => renderStatus(status, show), status);
  } finally {
    await ctx.close();
  }
}

export function renderStatus(s: Status, show: ShowTime = (iso) => iso ?? ''): string {
  const out: string[] = [`Crier status (${show(s.generatedAt)}, prefix ${s.prefix})`, '', 'Queues'];
  for (const [name, c] of Object.entries(s.queues)) {
    out.push(
      `  ${name.padEnd(18)} waiting ${c.waiting}  active ${c.active}  delayed ${c.delayed}  completed ${c.completed}  failed ${c.failed}`,
    );
  }
  out.push('', 'Accounts');
  for (const a of s.accounts) {
    let line = `  ${a.account.padEnd(18)} ${a.platform.padEnd(9)} ${a.health}`;
    if (a.until) line += ` until ${show(a.until, a.account)}`;
    if (a.reason) line += ` (${a.reason})`;
    if (a.budget) line += `  budget ${a.budget.remaining}/${a.budget.max} left per ${a.budget.windowHours} h`;
    out.push(line);
    if (a.action) out.push(`  ${''.padEnd(18)} → ${a.action}`);
    if (a.quota)
      out.push(
        `  ${''.padEnd(18)} quota ${a.quota.usedPercent}% used at ${show(a.quota.at, a.account)}: ${a.quota.detail}`,
      );
  }
  out.push('', 'Last posts');
  if (s.posts.length === 0) out.push('  (none)');
  for (const p of s.posts) {
    out.push(
      `  ${show(p.updatedAt, p.account)}  ${p.platform}/${p.account}  ${p.state}${p.duplicate ? ' (duplicate)' : ''}${p.heldAt ? ' (held)' : ''}  ${p.url ?? ''}  ${p.title}`,
    );
  }
  out.push('', 'Failures');
  if (s.failures.length === 0) out.push('  (none)');
  for (const f of s.failures) {
    out.push(
      `  ${f.platform ?? '?'}/${f.account ?? '?'}  ${f.state}${f.kind ? ` [${f.kind}]` : ''}: ${f.reason}${f.nextAttemptAt ? `  next attempt ${show(f.nextAttemptAt, f.account)}` : ''}`,
    );
  }
  out.push('', 'Scheduled next');
  if (s.scheduled.length === 0 && s.slots.length === 0) out.push('  (nothing)');
  for (const j of s.scheduled.slice(0, 20))
    out.push(`  ${show(j.at, j.account)}  ${j.queue}  ${j.account ?? ''} ${j.articleId ?? ''}`);
  for (const a of s.slots) {
    const times = a.slots.map((t) => `${t.local}${t.quiet ? ' (quiet hours)' : ''}`).join(', ');
    out.push(`  ${a.account}: ${a.waiting} waiting for slots; next ${times || 'none'} (${a.timezone})`);
  }
  out.push('', 'Schedulers');
  if (s.schedulers.length === 0) out.push('  (none running)');
  for (const h of s.schedulers)
    out.push(`  ${h.instanceId}  pid ${h.pid} on ${h.host}, last beat ${show(h.lastBeat)}`);
  return out.join('\n');
}
