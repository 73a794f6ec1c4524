import { createContext } from '../../context.js';
import { createLogger } from '../../core/logger.js';
import { collectArticleStatus, renderArticleStatus } from '../../status/article.js';
import { collectStatus, type Status } from '../../status/status.js';
import { ageText } from './operate.js';

export async function runStatus(opts: { json?: boolean; limit?: number; article?: string }): Promise<void> {
  const ctx = await createContext({
    forWorker: false,
    boundedCommands: true,
    logger: createLogger({ destination: process.stderr }),
  });
  try {
    if (opts.article) {
      const a = await collectArticleStatus(ctx, opts.article);
      console.log(opts.json ? JSON.stringify(a, null, 2) : renderArticleStatus(a));
      return;
    }
    const status = await collectStatus(ctx, { limit: opts.limit });
    if (opts.json) console.log(JSON.stringify(status, null, 2));
    else console.log(renderStatus(status));
  } finally {
    await ctx.close();
  }
}

export function renderStatus(s: Status): string {
  const out: string[] = [`Crier status (${s.generatedAt}, prefix ${s.prefix})`, '', 'Queues'];
  for (const [name, c] of Object.entries(s.queues)) {
    out.push(
      `  ${name.padEnd(18)} waiting ${c.waiting}  active ${c.active}  delayed ${c.delayed}  completed ${c.completed}  failed ${c.failed}`,
    );
  }
  out.push('', 'Accounts');
  for (const a of s.accounts) {
    let line = `  ${a.account.padEnd(18)} ${a.platform.padEnd(9)} ${a.health}`;
    if (a.until) line += ` until ${a.until}`;
    if (a.reason) line += ` (${a.reason})`;
    if (a.budget) line += `  budget ${a.budget.remaining}/${a.budget.max} left per ${a.budget.windowHours} h`;
    out.push(line);
    if (a.action) out.push(`  ${''.padEnd(18)} → ${a.action}`);
    if (a.quota)
      out.push(`  ${''.padEnd(18)} quota ${a.quota.usedPercent}% used at ${a.quota.at}: ${a.quota.detail}`);
  }
  out.push('', 'Last posts');
  if (s.posts.length === 0) out.push('  (none)');
  for (const p of s.posts) {
    out.push(
      `  ${p.updatedAt}  ${p.platform}/${p.account}  ${p.state}${p.duplicate ? ' (duplicate)' : ''}${p.heldAt ? ' (held)' : ''}  ${p.url ?? ''}  ${p.title}`,
    );
  }
  out.push('', 'Failures');
  if (s.failures.length === 0) out.push('  (none)');
  for (const f of s.failures) {
    out.push(
      `  ${f.platform ?? '?'}/${f.account ?? '?'}  ${f.state}${f.kind ? ` [${f.kind}]` : ''}: ${f.reason}${f.nextAttemptAt ? `  next attempt ${f.nextAttemptAt}` : ''}`,
    );
  }
  out.push('', 'Scheduled next');
  if (s.scheduled.length === 0 && s.slots.length === 0) out.push('  (nothing)');
  for (const j of s.scheduled.slice(0, 20))
    out.push(`  ${j.at}  ${j.queue}  ${j.account ?? ''} ${j.articleId ?? ''}`);
  for (const a of s.slots) {
    const times = a.slots.map((t) => `${t.local}${t.quiet ? ' (quiet hours)' : ''}`).join(', ');
    out.push(`  ${a.account}: ${a.waiting} waiting for slots; next ${times || 'none'} (${a.timezone})`);
  }
  out.push('', 'Unfinished work (every stage, oldest first)');
  if (s.unfinished.length === 0) out.push('  (none)');
  for (const w of s.unfinished.slice(0, 30)) {
    const where = w.stage === 'publish' ? `${w.platform}/${w.account}` : (w.source ?? w.articleId ?? '');
    out.push(
      `  ${w.stage.padEnd(8)} ${w.state.padEnd(8)} ${ageText(w.ageSeconds).padStart(7)}  ${w.id}  ${where}${w.reason ? `  (${w.reason})` : ''}`,
    );
  }
  if (s.unfinished.length > 30)
    out.push(`  … and ${s.unfinished.length - 30} more ("crier schedule list" lists them all)`);
  out.push('', 'Schedulers');
  if (s.schedulers.length === 0) out.push('  (none running)');
  for (const h of s.schedulers)
    out.push(`  ${h.instanceId}  pid ${h.pid} on ${h.host}, last beat ${h.lastBeat}`);
  return out.join('\n');
}
