import type { ComponentChildren } from 'preact';
import { twitterText } from '../../../summaries/twitter-text.js';

/** A link target the console may render: only http(s), never javascript:, data: or anything else. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function domainOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * A post text as a reader sees it: links clickable (http(s) only) and hashtags marked. Text stays text:
 * whatever markup an article carries is shown as characters, never run.
 */
export function PostText(props: {
  text: string;
  /** How the platform shows a link (X: t.co's display URL); default as written. */
  display?: (url: string) => string;
  /** Only links with a scheme are links; by default a bare domain is one too (as X links it). */
  schemeOnly?: boolean;
}) {
  const { text } = props;
  const parts: ComponentChildren[] = [];
  const entities = [
    ...twitterText()
      .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: !props.schemeOnly })
      .map((e) => ({ kind: 'url' as const, value: e.url, indices: e.indices })),
    ...twitterText()
      .extractHashtagsWithIndices(text)
      .map((e) => ({ kind: 'tag' as const, value: `#${e.hashtag}`, indices: e.indices })),
  ].sort((a, b) => a.indices[0] - b.indices[0]);
  let last = 0;
  entities.forEach((e, i) => {
    const [start, end] = e.indices;
    if (start < last) return;
    parts.push(text.slice(last, start));
    const raw = text.slice(start, end);
    if (e.kind === 'url') {
      const href = safeHref(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
      parts.push(
        href ? (
          <a key={i} href={href} rel="noopener noreferrer nofollow" target="_blank">
            {props.display ? props.display(raw) : raw}
          </a>
        ) : (
          raw
        ),
      );
    } else {
      parts.push(
        <span key={i} class="tag">
          {raw}
        </span>,
      );
    }
    last = end;
  });
  parts.push(text.slice(last));
  return <>{parts}</>;
}
