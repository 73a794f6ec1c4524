import type { PlatformName } from '../../../core/platform.js';
import { PLATFORM_DESCRIPTORS, platformOf } from '../../../platforms/descriptors.js';
import { rulesOf } from '../../../summaries/rules.js';
import { platformLabel } from '../../../summaries/validate.js';
import { ArticleCard, type PlatformPreview, PreviewFrame, type PreviewProps } from './preview-parts.js';
import { PostText } from './text.js';

export type { PlatformPreview, PreviewComponent, PreviewProps } from './preview-parts.js';

/**
 * Any platform without a preview of its own: the text as a reader sees it (the platform's `display`), its link
 * card, the count. A new platform gets this until its module brings its own preview.
 */
export function GenericPreview(props: PreviewProps) {
  const { post } = props;
  const { display } = rulesOf(post.platform);
  return (
    <PreviewFrame
      name={post.platform}
      label={platformLabel(post.platform)}
      post={post}
      siteName={props.siteName}
      handle={post.account}
      check={props.check}
      text={<PostText text={display ? display(post.text) : post.text} />}
    >
      <ArticleCard post={post} upper={false} />
    </PreviewFrame>
  );
}

const GENERIC: PlatformPreview = { Preview: GenericPreview };

/** The preview of a platform: its module's (through its descriptor's `preview`), else the generic one. */
export async function previewOf(platform: PlatformName): Promise<PlatformPreview> {
  const load = platformOf(platform).preview;
  return load ? await load() : GENERIC;
}

/** The style rules of every platform's preview, for the console's style sheet. */
export async function previewStyles(): Promise<string> {
  const previews = await Promise.all(PLATFORM_DESCRIPTORS.map((d) => previewOf(d.name)));
  return previews
    .map((p) => p.style?.trim())
    .filter(Boolean)
    .join('\n');
}
