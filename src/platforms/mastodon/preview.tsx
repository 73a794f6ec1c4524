import {
  ArticleCard,
  type PlatformPreview,
  PreviewFrame,
  type PreviewProps,
} from '../../http/console/views/preview-parts.js';
import { PostText } from '../../http/console/views/text.js';
import { twitterText } from '../../summaries/twitter-text.js';
import type { MastodonVisibility } from './api.js';

/** How Mastodon shows a link in a status: no scheme, no "www.", the first 30 characters, then "…". */
export function mastodonDisplayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\/(www\.)?/i, '');
  const chars = [...bare];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : bare;
}

/** Who sees a status, as Mastodon's web app names each visibility. */
export const VISIBILITY_LABELS: Record<MastodonVisibility, string> = {
  public: 'Public: anyone, in public timelines',
  unlisted: 'Quiet public: anyone, but not in public timelines, trends or search',
  private: 'Followers only',
  direct: 'Private mention: only the people mentioned',
};

/** The link Mastodon builds the status's card from: the first web link of the text (with its scheme). */
export function cardLink(text: string): string | undefined {
  return twitterText().extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })[0]?.url;
}

/**
 * Mastodon: the status with its links as Mastodon shows them (only links with a scheme), the count out of the
 * account's limit (the instance's, with every link counted 23), the link card the instance builds from the first
 * link, and who may see it (the account's visibility) and in which language.
 */
export function MastodonPreview(props: PreviewProps) {
  const { post, account } = props;
  const card = cardLink(post.text);
  const visibility = (account?.visibility as MastodonVisibility | undefined) ?? 'public';
  const language = typeof account?.language === 'string' ? account.language : undefined;
  return (
    <PreviewFrame
      name="mastodon"
      label="Mastodon"
      post={post}
      siteName={props.siteName}
      handle={`@${post.account}`}
      check={props.check}
      text={<PostText text={post.text} display={mastodonDisplayUrl} schemeOnly />}
      countNote=" · links count 23 each"
      after={
        <p class="meta" data-visibility={visibility}>
          Visibility: {VISIBILITY_LABELS[visibility] ?? visibility}
          {language ? ` · language ${language}` : ' · language guessed by the instance'}
        </p>
      }
    >
      {card ? <ArticleCard post={post} url={card} upper={false} description /> : null}
    </PreviewFrame>
  );
}

export const mastodonPreview: PlatformPreview = {
  Preview: MastodonPreview,
  style: `
.preview.mastodon .avatar { border-radius: 8px; background: #563acc; }
.preview.mastodon .card .domain { text-transform: none; }
.day li.p-mastodon { border-color: #563acc; }
`,
};
