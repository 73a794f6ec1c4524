import {
  ArticleCard,
  Count,
  type PlatformPreview,
  type PreviewProps,
  Who,
} from '../../http/console/views/preview-parts.js';
import { PostText } from '../../http/console/views/text.js';

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

export const facebookPreview: PlatformPreview = {
  Preview: FacebookPreview,
  style: `
.preview.facebook .avatar { background: #1877f2; }
.day li.p-facebook { border-color: #1877f2; }
`,
};
