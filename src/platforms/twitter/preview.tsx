import {
  CardImage,
  type PlatformPreview,
  PreviewFrame,
  type PreviewProps,
} from '../../http/console/views/preview-parts.js';
import { PostText } from '../../http/console/views/text.js';

/** How X shows a link in a post (the t.co link itself is hidden): no scheme, no "www.", cut with "…". */
export function xDisplayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const chars = [...bare];
  return chars.length > 25 ? `${chars.slice(0, 25).join('')}…` : bare;
}

/** X: the text with each link as X shows it (t.co, counted 23), the weighted count out of 280, the attached image. */
export function XPreview(props: PreviewProps) {
  const { post } = props;
  return (
    <PreviewFrame
      name="x"
      label="X"
      post={post}
      siteName={props.siteName}
      handle={`@${post.account}`}
      check={props.check}
      text={<PostText text={post.text} display={xDisplayUrl} />}
      countNote=" · links show as t.co links and count 23 each"
    >
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
    </PreviewFrame>
  );
}

export const twitterPreview: PlatformPreview = {
  Preview: XPreview,
  style: `
.preview.x .avatar { border-radius: 50%; background: #111; }
.day li.p-twitter { border-color: #111; }
`,
};
