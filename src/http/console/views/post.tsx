import type { AccountConfig } from '../../../config/schema.js';
import type { QueueItem } from '../../../control/queue.js';
import type { Post } from '../../../core/post.js';
import type { LedgerEntry } from '../../../ledger/ledger.js';
import { rulesOf } from '../../../summaries/rules.js';
import { platformLabel, type TextCheck } from '../../../summaries/validate.js';
import { localInputValue, shortLocal } from '../time.js';
import { ActionForm, ApprovalForms, articlePath, postPath, StateBadge, When } from './common.js';
import { Layout, type PageChrome } from './layout.js';
import type { PreviewComponent } from './preview-parts.js';
import { safeHref } from './text.js';

export interface PostPageProps extends PageChrome {
  id: string;
  entry: LedgerEntry;
  title: string;
  siteName: string;
  /** Where the post stands in the queue (state, time), when it is not sent yet. */
  item?: QueueItem;
  zone: string;
  /** The validator's verdict on the post's current text (with the account's own limit). */
  check: TextCheck;
  /** The post's platform's preview (its module's, or the generic one). */
  Preview: PreviewComponent;
  /** The account's configuration, when it is still configured. */
  account?: AccountConfig;
  editable: boolean;
  /** The text in the editor (the operator's refused attempt, or the post as a reader sees it). */
  editText: string;
  /** The verdict on a refused edit. */
  editCheck?: TextCheck;
}

function TimeForm(props: {
  action: string;
  csrf: string;
  label: string;
  zone: string;
  value?: string;
  required?: boolean;
  idSuffix: string;
}) {
  const id = `at-${props.idSuffix}`;
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <div>
        <label for={id}>
          {props.label} at <span class="muted">({props.zone})</span>
        </label>
        <input id={id} name="at" type="datetime-local" value={props.value ?? ''} required={props.required} />
      </div>
      <button type="submit" class="secondary">
        {props.label}
      </button>
    </form>
  );
}

function Actions(props: PostPageProps) {
  const { entry, csrf = '', zone, id } = props;
  const base = postPath(id);
  const s = entry.state;
  const held = Boolean(entry.heldAt);
  const unsent = ['pending', 'awaiting-approval', 'failed', 'cancelled', 'unconfirmed'].includes(s);
  return (
    <section class="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div class="actions">
        {s === 'awaiting-approval' ? <ApprovalForms base={base} csrf={csrf} /> : null}
        {s === 'pending' && !held ? (
          <ActionForm action={`${base}/hold`} csrf={csrf} label="Hold" secondary />
        ) : null}
        {held ? <ActionForm action={`${base}/release`} csrf={csrf} label="Release" /> : null}
        {['failed', 'cancelled', 'unconfirmed'].includes(s) ? (
          <ActionForm action={`${base}/retry`} csrf={csrf} label="Retry" />
        ) : null}
        {unsent && s !== 'cancelled' ? (
          <ActionForm
            action={`${base}/cancel`}
            csrf={csrf}
            label="Cancel"
            secondary
            confirm="Cancel this post? It will not be sent."
          />
        ) : null}
        {s === 'posted' ? (
          <ActionForm
            action={`${base}/retract`}
            csrf={csrf}
            label="Retract (delete on the platform)"
            danger
            confirm="Delete this post on the platform? It will never be posted again."
          />
        ) : null}
      </div>
      {unsent ? (
        <div class="actions">
          <TimeForm
            action={`${base}/reschedule`}
            csrf={csrf}
            label="Reschedule"
            zone={zone}
            value={localInputValue(entry.at, zone)}
            required
            idSuffix="reschedule"
          />
          {held ? (
            <TimeForm action={`${base}/release`} csrf={csrf} label="Release" zone={zone} idSuffix="release" />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function EditForm(props: PostPageProps) {
  const { id, csrf = '', editCheck } = props;
  const refused = editCheck && !editCheck.ok;
  const check = editCheck ?? props.check;
  const { plainText } = rulesOf(props.entry.platform);
  return (
    <section class="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit the text</h2>
      <form method="post" action={`${postPath(id)}/edit`}>
        <input type="hidden" name="_csrf" value={csrf} />
        {refused ? (
          <div class="flash flash-error" role="alert" id="edit-problems">
            <p>The edit was refused: {check.count}.</p>
            <ul>
              {check.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <label for="text">
          Post text on {platformLabel(props.entry.platform)}
          {plainText ? ` (${plainText.note})` : ''}
        </label>
        <textarea
          id="text"
          name="text"
          rows={8}
          data-measure={`${postPath(id)}/measure`}
          aria-describedby={refused ? 'edit-count edit-problems' : 'edit-count'}
          aria-invalid={refused ? 'true' : undefined}
        >
          {props.editText}
        </textarea>
        <p>
          <output
            id="edit-count"
            class={check.length > check.max ? 'count count-over' : 'count'}
            aria-live="polite"
          >
            {check.count}
          </output>
        </p>
        <button type="submit">Save the text</button>
      </form>
    </section>
  );
}

export function PostPage(props: PostPageProps) {
  const { entry, item, zone } = props;
  const post: Post = entry.post;
  const platformUrl = safeHref(entry.url);
  return (
    <Layout {...props} title={props.title || props.id} section="/">
      <p class="muted">
        <a href="/">Queue</a> › {platformLabel(entry.platform)} · {entry.account}
      </p>
      <h1>{props.title || props.id}</h1>
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={item?.state ?? (entry.heldAt ? 'held' : entry.state)} />
          {item?.reason ? <span class="muted"> {item.reason}</span> : null}
          {!item && entry.error && entry.state !== 'posted' ? (
            <span class="muted"> {entry.error}</span>
          ) : null}
        </dd>
        <dt>Goes out</dt>
        <dd>
          {entry.state === 'posted' || entry.state === 'retracted' ? (
            <span class="muted">sent {shortLocal(entry.updatedAt, zone)}</span>
          ) : (
            <When at={item?.at ?? entry.at} zone={zone} none={item?.state === 'waiting' ? 'now' : '—'} />
          )}
        </dd>
        {platformUrl ? (
          <>
            <dt>On {platformLabel(entry.platform)}</dt>
            <dd>
              <a href={platformUrl} rel="noopener noreferrer" target="_blank">
                {platformUrl}
              </a>
            </dd>
          </>
        ) : null}
        {entry.retractedAt ? (
          <>
            <dt>Retracted</dt>
            <dd>{shortLocal(entry.retractedAt, zone)} (deleted on the platform; never posted again)</dd>
          </>
        ) : null}
        <dt>Post id</dt>
        <dd>
          <code>{props.id}</code>
        </dd>
        <dt>Article</dt>
        <dd>
          <a href={articlePath(entry.articleId)}>what happened to this article</a>
        </dd>
      </dl>
      {entry.editedAt ? (
        <p
          class={entry.articleChangedAt ? 'warning' : 'muted'}
          role={entry.articleChangedAt ? 'status' : undefined}
        >
          {entry.articleChangedAt
            ? `Article changed since your edit (corrected ${shortLocal(entry.articleChangedAt, zone)}; you edited ${shortLocal(entry.editedAt, zone)}): your text is kept, check it still holds.`
            : `Edited by the operator ${shortLocal(entry.editedAt, zone)}: corrections of the article no longer change it.`}
        </p>
      ) : null}
      <div class="grid2">
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">As followers will see it</h2>
          <props.Preview post={post} siteName={props.siteName} check={props.check} account={props.account} />
        </section>
        <div>
          {props.editable ? <EditForm {...props} /> : null}
          <Actions {...props} />
        </div>
      </div>
    </Layout>
  );
}
