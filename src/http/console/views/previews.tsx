import type { Post } from '../../../core/post.js';
import { unescapeLittleText } from '../../../platforms/linkedin/little-text.js';
import { platformLabel, type TextCheck } from '../../../summaries/validate.js';
import { domainOf, PostText, safeHref, xDisplayUrl } from './text.js';

export interface PreviewProps {
  post: Post;
  /** Who posts: the site's name. */
  siteName: string;
  /** The validator's verdict on the text (same checks as publishing). */
  check: TextCheck;
}

/** LinkedIn folds a post after about this many characters (or three lines) behind "…see more". */
export const LINKEDIN_FOLD_CHARS = 210;
const LINKEDIN_FOLD_LINES = 3;

/** Where LinkedIn folds a post: after three lines or about 210 characters, at a word boundary. */
export function linkedinFold(text: string): { shown: string; rest: string } {
  const lines = text.split('\n');
  let cut = text.length;
  if (lines.length > LINKEDIN_FOLD_LINES) cut = lines.slice(0, LINKEDIN_FOLD_LINES).join('\n').length;
  const chars = [...text];
  if (chars.length > LINKEDIN_FOLD_CHARS) {
    const head = chars.slice(0, LINKEDIN_FOLD_CHARS).join('');
    const space = head.search(/\s\S*$/);
    cut = Math.min(cut, space > 0 ? space : head.length);
  }
  return { shown: text.slice(0, cut).trimEnd(), rest: text.slice(cut).trimStart() };
}

function Count(props: { check: TextCheck }) {
  const over = props.check.length > props.check.max;
  return (
    <span class={over ? 'count count-over' : 'count'} data-count>
      {props.check.count}
    </span>
  );
}

function Who(props: { siteName: string; handle: string }) {
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

function CardImage(props: { src?: string }) {
  const src = safeHref(props.src);
  return src ? <img src={src} alt="" loading="lazy" referrerpolicy="no-referrer" /> : null;
}

/** X: the text with each link as X shows it (t.co, counted 23), the weighted count out of 280, the attached image. */
export function XPreview(props: PreviewProps) {
  const { post } = props;
  return (
    <article class="preview x" aria-label={`Preview on X for ${post.account}`}>
      <Who siteName={props.siteName} handle={`@${post.account}`} />
      <div class="body">
        <PostText text={post.text} display={xDisplayUrl} />
      </div>
      {post.article.image ? (
        <div class="card">
          <CardImage src={post.article.image} />
        </div>
      ) : null}
      {post.thread?.length ? (
        <ol class="thread" aria-label="Replies in the thread">
          {post.thread.map((t, i) => (
            <li key={i} class="body">
              <PostText text={t} display={xDisplayUrl} />
            </li>
          ))}
        </ol>
      ) : null}
      <p class="meta">
        <Count check={props.check} /> · links show as t.co links and count 23 each
      </p>
    </article>
  );
}

/** LinkedIn: the commentary as readers see it (escapes undone), folded at "…see more", with the article card. */
export function LinkedInPreview(props: PreviewProps) {
  const { post } = props;
  const full = unescapeLittleText(post.text);
  const { shown, rest } = linkedinFold(full);
  return (
    <article class="preview linkedin" aria-label={`Preview on LinkedIn for ${post.account}`}>
      <Who siteName={props.siteName} handle={post.account} />
      <div class="body">
        {rest ? (
          // Folded: the start and "…see more"; opened (click or keyboard), the whole text.
          <details class="fold">
            <summary>
              <PostText text={shown} />
              <span class="see-more">…see more</span>
            </summary>
            <PostText text={full} />
          </details>
        ) : (
          <PostText text={full} />
        )}
      </div>
      <ArticleCard post={post} upper={false} />
      <p class="meta">
        <Count check={props.check} />
      </p>
    </article>
  );
}

/** Facebook: the message, then the link card from the page's og: tags (image, domain, title, description). */
export function FacebookPreview(props: PreviewProps) {
  const { post } = props;
  return (
    <article class="preview facebook" aria-label={`Preview on Facebook for ${post.account}`}>
      <Who siteName={props.siteName} handle="" />
      <div class="body">
        <PostText text={post.text} />
      </div>
      <ArticleCard post={post} upper={true} description />
      <p class="meta">
        <Count check={props.check} />
      </p>
    </article>
  );
}

function ArticleCard(props: { post: Post; upper: boolean; description?: boolean }) {
  const a = props.post.article;
  const href = safeHref(a.url || props.post.link);
  const domain = domainOf(a.url || props.post.link);
  const inner = (
    <>
      <CardImage src={a.image} />
      <div class="card-text">
        <div class="domain">{props.upper ? domain.toUpperCase() : domain}</div>
        <div class="card-title">{a.title}</div>
        {props.description && a.description ? <div class="card-desc">{a.description}</div> : null}
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

/** Any other platform: the text and the link, as sent. */
export function GenericPreview(props: PreviewProps) {
  const { post } = props;
  return (
    <article class="preview" aria-label={`Preview on ${platformLabel(post.platform)} for ${post.account}`}>
      <Who siteName={props.siteName} handle={post.account} />
      <div class="body">
        <PostText text={post.text} />
      </div>
      <ArticleCard post={post} upper={false} />
      <p class="meta">
        <Count check={props.check} />
      </p>
    </article>
  );
}

const PREVIEWS: Record<string, (p: PreviewProps) => ReturnType<typeof GenericPreview>> = {
  twitter: XPreview,
  linkedin: LinkedInPreview,
  facebook: FacebookPreview,
};

/** The preview of a post on its platform; platforms without a card of their own get the generic one. */
export function Preview(props: PreviewProps) {
  const P = PREVIEWS[props.post.platform] ?? GenericPreview;
  return <P {...props} />;
}
