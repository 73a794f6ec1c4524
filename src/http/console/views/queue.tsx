import type { AccountQueue, QueueItem } from '../../../control/queue.js';
import { platformLabel } from '../../../summaries/validate.js';
import { addDays, dayInZone, shortLocal } from '../time.js';
import { AccountName, ActionForm, ApprovalForms, articlePath, postPath, StateBadge, When } from './common.js';
import { Layout, type PageChrome } from './layout.js';

function excerpt(text: string | undefined, n = 140): string {
  if (!text) return '';
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : chars.join('');
}

function QuickActions(props: { item: QueueItem; csrf: string }) {
  const { item, csrf } = props;
  const base = postPath(item.id);
  return (
    <div class="actions">
      {item.state === 'awaiting-approval' ? <ApprovalForms base={base} csrf={csrf} /> : null}
      {item.state === 'held' ? <ActionForm action={`${base}/release`} csrf={csrf} label="Release" /> : null}
      {item.state === 'failed' ? <ActionForm action={`${base}/retry`} csrf={csrf} label="Retry" /> : null}
      {!['held', 'awaiting-approval', 'sending', 'failed'].includes(item.state) ? (
        <ActionForm action={`${base}/hold`} csrf={csrf} label="Hold" secondary />
      ) : null}
    </div>
  );
}

function AccountSection(props: { acc: AccountQueue; csrf: string }) {
  const { acc, csrf } = props;
  const headingId = `acc-${acc.account}`;
  return (
    <section aria-labelledby={headingId} class="panel">
      <h2 id={headingId}>
        <AccountName account={acc.account} platform={acc.platform} />{' '}
        {acc.health !== 'ok' ? <StateBadge state={acc.health} until={acc.until} zone={acc.zone} /> : null}
      </h2>
      {acc.health !== 'ok' && (acc.healthReason || acc.action) ? (
        <p class="warning">
          {acc.healthReason}
          {acc.action ? ` → ${acc.action}` : ''}
        </p>
      ) : null}
      {acc.items.length === 0 ? (
        <p class="muted">Nothing waiting.</p>
      ) : (
        <table>
          <caption class="muted">
            {acc.items.length} post{acc.items.length === 1 ? '' : 's'} not sent yet · times in {acc.zone}
          </caption>
          <thead>
            <tr>
              <th scope="col">Goes out</th>
              <th scope="col">State</th>
              <th scope="col">Post</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {acc.items.map((item) => (
              <tr key={item.id} id={`row-${item.id}`}>
                <td>
                  <When at={item.at} zone={item.zone} none={item.state === 'waiting' ? 'now' : '—'} />
                </td>
                <td>
                  <StateBadge
                    state={item.state}
                    until={item.state === 'rate-limited' ? item.at : undefined}
                    zone={item.zone}
                  />
                  {item.reason ? <div class="muted">{item.reason}</div> : null}
                  {item.articleChangedAt ? <div class="warning">article changed since your edit</div> : null}
                </td>
                <td>
                  <a href={postPath(item.id)}>{item.title || item.articleId}</a>
                  <div class="muted">{excerpt(item.text)}</div>
                </td>
                <td>
                  <QuickActions item={item} csrf={csrf} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {acc.slots?.length ? (
        <p class="muted">
          Next posting slots:{' '}
          {acc.slots
            .slice(0, 5)
            .map((s) => `${shortLocal(s.at, acc.zone)}${s.quiet ? ' (quiet hours)' : ''}`)
            .join(', ')}
        </p>
      ) : null}
      <div class="actions">
        {acc.health === 'paused' || acc.health === 'needs-attention' ? (
          <ActionForm
            action={`/accounts/${encodeURIComponent(acc.account)}/resume`}
            csrf={csrf}
            label={`Resume ${acc.account}`}
          />
        ) : (
          <ActionForm
            action={`/accounts/${encodeURIComponent(acc.account)}/pause`}
            csrf={csrf}
            label={`Pause ${acc.account}`}
            secondary
          />
        )}
      </div>
    </section>
  );
}

export function QueuePage(props: PageChrome & { accounts: AccountQueue[] }) {
  const awaiting = props.accounts.flatMap((a) => a.items).filter((i) => i.state === 'awaiting-approval');
  return (
    <Layout {...props} title="Queue" section="/">
      <h1>Queue: every post not sent yet</h1>
      {awaiting.length ? (
        <p class="warning" role="status">
          {awaiting.length} post{awaiting.length === 1 ? ' awaits' : 's await'} your approval.
        </p>
      ) : null}
      {props.accounts.map((acc) => (
        <AccountSection key={acc.account} acc={acc} csrf={props.csrf ?? ''} />
      ))}
    </Layout>
  );
}

export interface WeekProps extends PageChrome {
  zone: string;
  /** First day shown, YYYY-MM-DD in `zone`. */
  from: string;
  today: string;
  items: QueueItem[];
  /** Free posting slots in the week: account, time. */
  freeSlots: Array<{ account: string; platform: string; at: string }>;
}

export function WeekPage(props: WeekProps) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(props.from, i));
  const untimed = props.items.filter((i) => !i.at);
  const label = (day: string) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      weekday: 'long',
      day: 'numeric',
      month: 'short',
    }).format(new Date(`${day}T12:00:00Z`));
  return (
    <Layout {...props} title="Week" section="/calendar">
      <h1>
        Week of {label(props.from)} <span class="muted">({props.zone})</span>
      </h1>
      <nav class="actions" aria-label="Weeks">
        <a class="button secondary" href={`/calendar?from=${addDays(props.from, -7)}`}>
          ← Previous week
        </a>
        <a class="button secondary" href="/calendar">
          This week
        </a>
        <a class="button secondary" href={`/calendar?from=${addDays(props.from, 7)}`}>
          Next week →
        </a>
      </nav>
      <div class="week">
        {days.map((day) => {
          const items = props.items.filter((i) => i.at && dayInZone(new Date(i.at), props.zone) === day);
          const free = props.freeSlots.filter((s) => dayInZone(new Date(s.at), props.zone) === day);
          const entries = [
            ...items.map((i) => ({ at: i.at!, item: i })),
            ...free.map((s) => ({ at: s.at, slot: s })),
          ].sort((a, b) => a.at.localeCompare(b.at));
          return (
            <section key={day} class={day === props.today ? 'day today' : 'day'} aria-labelledby={`d-${day}`}>
              <h2 id={`d-${day}`}>
                {label(day)}
                {day === props.today ? ' (today)' : ''}
              </h2>
              {entries.length === 0 ? <p class="muted">Nothing planned.</p> : null}
              <ol>
                {entries.map((e) =>
                  'item' in e && e.item ? (
                    <li key={e.item.id} class={`p-${e.item.platform}`}>
                      <time dateTime={e.at}>{shortLocal(e.at, props.zone).split(', ')[1]}</time>{' '}
                      <span class="muted">{e.item.account}</span> <StateBadge state={e.item.state} />
                      <br />
                      <a href={postPath(e.item.id)}>{e.item.title || e.item.articleId}</a>
                    </li>
                  ) : 'slot' in e && e.slot ? (
                    <li key={`${e.slot.account}-${e.at}`} class={`slot p-${e.slot.platform}`}>
                      <time dateTime={e.at}>{shortLocal(e.at, props.zone).split(', ')[1]}</time> free slot of{' '}
                      {e.slot.account} ({platformLabel(e.slot.platform)})
                    </li>
                  ) : null,
                )}
              </ol>
            </section>
          );
        })}
      </div>
      {untimed.length ? (
        <>
          <h2>Not on the calendar</h2>
          <ul>
            {untimed.map((i) => (
              <li key={i.id}>
                <StateBadge state={i.state} /> <a href={postPath(i.id)}>{i.title || i.articleId}</a>{' '}
                <span class="muted">
                  {i.account}
                  {i.reason ? `: ${i.reason}` : ''}
                </span>{' '}
                <a href={articlePath(i.articleId)} class="muted">
                  (article)
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
