import {
  ArticleCard,
  type PlatformPreview,
  PreviewFrame,
  type PreviewProps,
} from '../../http/console/views/preview-parts.js';
import { PostText } from '../../http/console/views/text.js';

/** Facebook: the message, then the link card from the page's og: tags (image, domain, title, description). */
export function FacebookPreview(props: PreviewProps) {
  const { post } = props;
  return (
    <PreviewFrame
      name="facebook"
      label="Facebook"
      post={post}
      siteName={props.siteName}
      handle=""
      check={props.check}
      text={<PostText text={post.text} />}
    >
      <ArticleCard post={post} upper={true} description />
    </PreviewFrame>
  );
}

export const facebookPreview: PlatformPreview = {
  Preview: FacebookPreview,
  style: `
.preview.facebook .avatar { background: #1877f2; }
.day li.p-facebook { border-color: #1877f2; }
`,
};
