import {
  ArticleCard,
  type PlatformPreview,
  PreviewFrame,
  type PreviewProps,
} from '../../http/console/views/preview-parts.js';
import { PostText } from '../../http/console/views/text.js';
import { unescapeLittleText } from './little-text.js';

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

/** LinkedIn: the commentary as readers see it (escapes undone), folded at "…see more", with the article card. */
export function LinkedInPreview(props: PreviewProps) {
  const { post } = props;
  const full = unescapeLittleText(post.text);
  const { shown, rest } = linkedinFold(full);
  return (
    <PreviewFrame
      name="linkedin"
      label="LinkedIn"
      post={post}
      siteName={props.siteName}
      handle={post.account}
      check={props.check}
      text={
        rest ? (
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
        )
      }
    >
      <ArticleCard post={post} upper={false} />
    </PreviewFrame>
  );
}

export const linkedinPreview: PlatformPreview = {
  Preview: LinkedInPreview,
  style: `
.preview.linkedin .avatar { border-radius: 4px; background: #0a66c2; }
.preview details.fold summary { list-style: none; cursor: pointer; display: block; }
.preview .see-more { color: var(--muted); font-weight: 600; }
.preview details.fold summary::-webkit-details-marker { display: none; }
.preview details.fold[open] summary { display: none; }
.preview.linkedin .card .domain { text-transform: none; }
.day li.p-linkedin { border-color: #0a66c2; }
`,
};
