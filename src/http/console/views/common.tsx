import type { ComponentChildren } from 'preact';
import { platformLabel } from '../../../summaries/validate.js';
import { shortLocal } from '../time.js';

const STATE_LABEL: Record<string, string> = {
  waiting: 'waiting',
  scheduled: 'scheduled',
  slot: 'posting slot',
  'awaiting-approval': 'awaiting approval',
  held: 'held',
  'rate-limited': 'rate-limited',
  'needs-attention': 'needs attention',
  paused: 'paused',
  retrying: 'retrying',
  sending: 'sending',
  failed: 'failed',
  pending: 'waiting',
  posted: 'posted',
  cancelled: 'cancelled',
  retracted: 'retracted',
  unconfirmed: 'unconfirmed',
  none: 'no post',
};

export function StateBadge(props: { state: string; until?: string; zone?: string }) {
  const label = STATE_LABEL[props.state] ?? props.state;
  return (
    <span class={`state state-${props.state}`}>
      {label}
      {props.until && props.zone ? ` until ${shortLocal(props.until, props.zone)}` : ''}
    </span>
  );
}

/** A time in its schedule's zone: short text, the full ISO time with offset on hover and for machines. */
export function When(props: { at?: string; zone: string; none?: string }) {
  if (!props.at) return <span class="muted">{props.none ?? 'now'}</span>;
  return (
    <time dateTime={props.at} title={props.at}>
      {shortLocal(props.at, props.zone)} <span class="muted">({props.zone})</span>
    </time>
  );
}

export const AccountName = (props: { account: string; platform: string }) => (
  <>
    {props.account} <span class="muted">({platformLabel(props.platform)})</span>
  </>
);

/** A one-button form for an operator action, with the session's CSRF token. */
export function ActionForm(props: {
  action: string;
  csrf: string;
  label: string;
  confirm?: string;
  danger?: boolean;
  secondary?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action} data-confirm={props.confirm}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
      <button type="submit" class={props.danger ? 'danger' : props.secondary ? 'secondary' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

/** Approve and Reject, for a post awaiting approval (`base`: the post's path). */
export function ApprovalForms(props: { base: string; csrf: string }) {
  const { base, csrf } = props;
  return (
    <>
      <ActionForm action={`${base}/approve`} csrf={csrf} label="Approve" />
      <ActionForm
        action={`${base}/reject`}
        csrf={csrf}
        label="Reject"
        secondary
        confirm="Reject this post? It will not be sent."
      />
    </>
  );
}

export const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;
export const articlePath = (id: string) => `/articles/${encodeURIComponent(id)}`;
