import type { LedgerEntry } from '../../../ledger/ledger.js';
import type { ArticleStatus } from '../../../status/article.js';
import type { AccountStatus } from '../../../status/status.js';
import { platformLabel } from '../../../summaries/validate.js';
import { shortLocal } from '../time.js';
import { AccountName, ActionForm, articlePath, postPath, StateBadge } from './common.js';
import { Layout, type PageChrome } from './layout.js';
import { safeHref } from './text.js';

export interface SentPost {
  id: string;
  entry: LedgerEntry;
  title: string;
}

function PlatformLink(props: { url?: string }) {
  const href = safeHref(props.url);
  return href ? (
    <a href={href} rel="noopener noreferrer" target="_blank">
      {href}
    </a>
  ) : (
    <span class="muted">—</span>
  );
}

/** The posts sent (and retracted), newest first, with their links on the platforms. */
export function HistoryPage(props: PageChrome & { posts: SentPost[]; zone: string }) {
  return (
    <Layout {...props} title="Sent" section="/history">
      <h1>Posts sent</h1>
      {props.posts.length === 0 ? (
        <p class="muted">Nothing sent yet.</p>
      ) : (
        <table>
          <caption class="muted">Newest first · times in {props.zone}</caption>
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">Account</th>
              <th scope="col">Article</th>
              <th scope="col">On the platform</th>
            </tr>
          </thead>
          <tbody>
            {props.posts.map(({ id, entry, title }) => (
              <tr key={id}>
                <td>
                  <time dateTime={entry.updatedAt}>{shortLocal(entry.updatedAt, props.zone)}</time>
                </td>
                <td>
                  <AccountName account={entry.account} platform={entry.platform} />
                </td>
                <td>
                  <a href={postPath(id)}>{title || entry.articleId}</a>{' '}
                  {entry.state !== 'posted' ? <StateBadge state={entry.state} /> : null}
                  {entry.duplicate ? <span class="muted"> (was already there)</span> : null}
                </td>
                <td>
                  <PlatformLink url={entry.url} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export interface RecentArticle {
  articleId: string;
  title: string;
  url?: string;
  states: Array<{ account: string; state: string }>;
}

export function ArticlesPage(
  props: PageChrome & { articles: RecentArticle[]; query?: string; error?: string },
) {
  return (
    <Layout {...props} title="Articles" section="/articles">
      <h1>What happened to an article?</h1>
      <form method="get" action="/articles/find" class="actions">
        <div>
          <label for="ref">Article link or id</label>
          <input id="ref" name="ref" type="search" size={60} value={props.query ?? ''} required />
        </div>
        <button type="submit">Look it up</button>
      </form>
      {props.error ? (
        <p class="flash flash-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <h2>Recent articles</h2>
      {props.articles.length === 0 ? <p class="muted">No article yet.</p> : null}
      <ul>
        {props.articles.map((a) => (
          <li key={a.articleId}>
            <a href={articlePath(a.articleId)}>{a.title || a.articleId}</a>{' '}
            {a.states.map((s) => (
              <span key={s.account}>
                <span class="muted">{s.account}</span> <StateBadge state={s.state} />{' '}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** "What happened to this article": what `crier status --article` says, as a page. */
export function ArticlePage(props: PageChrome & { status: ArticleStatus; zone: string }) {
  const s = props.status;
  const url = safeHref(s.url);
  return (
    <Layout {...props} title={s.title ?? s.articleId} section="/articles">
      <p class="muted">
        <a href="/articles">Articles</a> › {s.articleId}
      </p>
      <h1>{s.known ? s.title : `${s.articleId}: not seen by Crier`}</h1>
      {s.known ? (
        <dl class="facts">
          <dt>Link</dt>
          <dd>
            {url ? (
              <a href={url} rel="noopener noreferrer" target="_blank">
                {url}
              </a>
            ) : (
              s.url
            )}
          </dd>
          <dt>First seen</dt>
          <dd>{s.firstSeenAt ? shortLocal(s.firstSeenAt, props.zone) : '—'}</dd>
          <dt>Last read</dt>
          <dd>{s.updatedAt ? shortLocal(s.updatedAt, props.zone) : '—'}</dd>
          {s.heldBack ? (
            <>
              <dt>Not posted</dt>
              <dd>remembered only ({s.heldBack === 'backlog' ? 'older part of a new source' : 'too old'})</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>Crier has not read this article, or its record expired.</p>
      )}
      <h2>Per account</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">State</th>
            <th scope="col">Where / why</th>
          </tr>
        </thead>
        <tbody>
          {s.posts.map((p) => (
            <tr key={p.id}>
              <td>
                <AccountName account={p.account} platform={p.platform} />
              </td>
              <td>
                <StateBadge state={p.heldAt ? 'held' : p.state} />
                {p.duplicate ? <span class="muted"> (was already there)</span> : null}
              </td>
              <td>
                {p.state !== 'none' ? (
                  <a href={postPath(p.id)}>the post</a>
                ) : (
                  <span class="muted">no post composed</span>
                )}
                {p.url ? (
                  <>
                    {' · '}
                    <PlatformLink url={p.url} />
                  </>
                ) : null}
                {p.job && p.state !== 'posted' && p.state !== 'retracted' ? (
                  <div class="muted">
                    job {p.job}
                    {p.next ? ` until ${shortLocal(p.next, props.zone)}` : ''}
                  </div>
                ) : null}
                {p.error ? (
                  <div class={p.state === 'failed' ? 'warning' : 'muted'}>
                    {p.kind ? `${p.kind}: ` : ''}
                    {p.error}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** What to do about an account in its state, when the state itself does not say. */
function todo(a: AccountStatus): string | undefined {
  if (a.action) return a.action;
  switch (a.health) {
    case 'paused':
      return 'resume it when its posts may go again';
    case 'rate-limited':
      return 'nothing: its posts wait until the limit lifts and go on their own';
    case 'disabled':
      return 'set its credentials in the environment (see .env.example) and restart the workers';
    case 'needs-attention':
      return 'fix what the reason says, then resume it';
    default:
      return undefined;
  }
}

export function AccountsPage(props: PageChrome & { accounts: AccountStatus[]; zone: string }) {
  return (
    <Layout {...props} title="Accounts" section="/accounts">
      <h1>Accounts</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Health</th>
            <th scope="col">What to do</th>
            <th scope="col">Budget and quota</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => (
            <tr key={a.account}>
              <td>
                <AccountName account={a.account} platform={a.platform} />
              </td>
              <td>
                <StateBadge state={a.health} until={a.until} zone={props.zone} />
                {a.reason ? <div class="muted">{a.reason}</div> : null}
              </td>
              <td>{todo(a) ?? <span class="muted">nothing</span>}</td>
              <td>
                {a.budget ? (
                  <div>
                    {a.budget.remaining}/{a.budget.max} posts left per {a.budget.windowHours} h
                  </div>
                ) : null}
                {a.quota ? (
                  <div class="muted">
                    {platformLabel(a.platform)} quota {a.quota.usedPercent}% used ({a.quota.detail})
                  </div>
                ) : null}
                {!a.budget && !a.quota ? <span class="muted">—</span> : null}
              </td>
              <td>
                {a.health === 'paused' || a.health === 'needs-attention' ? (
                  <ActionForm
                    action={`/accounts/${encodeURIComponent(a.account)}/resume`}
                    csrf={props.csrf ?? ''}
                    label="Resume"
                  />
                ) : (
                  <ActionForm
                    action={`/accounts/${encodeURIComponent(a.account)}/pause`}
                    csrf={props.csrf ?? ''}
                    label="Pause"
                    secondary
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
