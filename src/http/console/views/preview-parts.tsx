import type { ComponentChildren, VNode } from 'preact';
import type { AccountConfig } from '../../../config/schema.js';
import type { Post } from '../../../core/post.js';
import type { TextCheck } from '../../../summaries/validate.js';
import { domainOf, safeHref } from './text.js';

/**
 * What every platform's preview is made of. A platform's preview lives in its module
 * (src/platforms/<name>/preview.tsx, loaded through its descriptor's `preview`); these are the parts they share,
 * and the console needs nothing else to show a platform it has never heard of (./previews.tsx: the generic one).
 */

export interface PreviewProps {
  post: Post;
  /** Who posts: the site's name. */
  siteName: string;
  /** The validator's verdict on the text (same checks as publishing, with the account's own limit). */
  check: TextCheck;
  /** The account's configuration (its platform's settings, e.g. who may see the post), when it is configured. */
  account?: AccountConfig;
}

export type PreviewComponent = (props: PreviewProps) => VNode;

/** A platform's preview as its module exports it: the component and the style rules it needs (`.preview.<name>`). */
export interface PlatformPreview {
  Preview: PreviewComponent;
  /** CSS added to the console's style sheet (served from /assets: the console allows no inline style). */
  style?: string;
}

/** The length as the validator counted it, marked when over the limit. */
export function Count(props: { check: TextCheck }) {
  const over = props.check.length > props.check.max;
  return (
    <span class={over ? 'count count-over' : 'count'} data-count>
      {props.check.count}
    </span>
  );
}

/** Who posts: an avatar with the site's initial, its name and the account's handle. */
export function Who(props: { siteName: string; handle: string }) {
  return (
    <div class="who">
      <span class="avatar" aria-hidden="true">
        {[...props.siteName.trim()][0]?.toUpperCase() ?? '?'}
      </span>
      <span>
        <span class="name">{props.siteName}</span> <span class="handle">{props.handle}</span>
      </span>
    </div>
  );
}

/**
 * The frame every preview shares: who posts, the text as the platform shows it (`text`), what follows it on the
 * platform (card, image, replies: `children`), then the count (with `countNote` on its line) and `after` it.
 * `name` is the preview's CSS class (`.preview.<name>`), `label` the platform as readers know it.
 */
export function PreviewFrame(props: {
  name: string;
  label: string;
  post: Post;
  siteName: string;
  handle: string;
  check: TextCheck;
  text: ComponentChildren;
  children?: ComponentChildren;
  countNote?: ComponentChildren;
  after?: ComponentChildren;
}) {
  return (
    <article
      class={`preview ${props.name}`}
      aria-label={`Preview on ${props.label} for ${props.post.account}`}
    >
      <Who siteName={props.siteName} handle={props.handle} />
      <div class="body">{props.text}</div>
      {props.children}
      <p class="meta">
        <Count check={props.check} />
        {props.countNote}
      </p>
      {props.after}
    </article>
  );
}

/** An article image, only over http(s), never sending the console's address to the image's site. */
export function CardImage(props: { src?: string }) {
  const src = safeHref(props.src);
  return src ? <img src={src} alt="" loading="lazy" referrerpolicy="no-referrer" /> : null;
}

/**
 * The article's link card as platforms build it from the page's og: tags: image, domain, title and (where the
 * platform shows it) description. `domainLast` puts the domain under the text, `upper` in capitals
 * (Facebook).
 */
export function ArticleCard(props: {
  post: Post;
  upper: boolean;
  description?: boolean;
  domainLast?: boolean;
  /** The link the card is for, when not the article's (a platform that takes the first link of the text). */
  url?: string;
}) {
  const a = props.post.article;
  const url = props.url ?? (a.url || props.post.link);
  const own = url === (a.url || props.post.link);
  const href = safeHref(url);
  const domain = domainOf(url);
  const shownDomain = <div class="domain">{props.upper ? domain.toUpperCase() : domain}</div>;
  const inner = (
    <>
      {own ? <CardImage src={a.image} /> : null}
      <div class="card-text">
        {props.domainLast ? null : shownDomain}
        {own ? <div class="card-title">{a.title}</div> : null}
        {own && props.description && a.description ? <div class="card-desc">{a.description}</div> : null}
        {props.domainLast ? shownDomain : null}
      </div>
    </>
  );
  return href ? (
    <a class="card" href={href} rel="noopener noreferrer nofollow" target="_blank">
      {inner}
    </a>
  ) : (
    <div class="card">{inner}</div>
  );
}
