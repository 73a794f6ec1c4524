import type { ComponentChildren } from 'preact';
import type { PostFacet } from '../../core/post.js';
import {
  ArticleCard,
  type PlatformPreview,
  PreviewFrame,
  type PreviewProps,
} from '../../http/console/views/preview-parts.js';
import { safeHref } from '../../http/console/views/text.js';
import { MAX_TEXT_BYTES } from './api.js';
import { LINK_FEATURE, TAG_FEATURE } from './richtext.js';
import { blueskyRules } from './rules.js';

/**
 * A post text as Bluesky's app shows it: only the ranges its facets mark are links or hashtags (an unfaceted URL
 * or #tag stays plain text). Facets count UTF-8 bytes; a facet that overlaps another or leaves the text is
 * ignored, as the app ignores it. Text stays text: nothing in it is ever run.
 */
export function FacetText(props: { text: string; facets: readonly PostFacet[] }) {
  const bytes = Buffer.from(props.text, 'utf8');
  const parts: ComponentChildren[] = [];
  let at = 0;
  const sorted = [...props.facets].sort((a, b) => a.index.byteStart - b.index.byteStart);
  sorted.forEach((f, i) => {
    const { byteStart: start, byteEnd: end } = f.index;
    if (start < at || end > bytes.length || start >= end) return;
    parts.push(bytes.subarray(at, start).toString('utf8'));
    const shown = bytes.subarray(start, end).toString('utf8');
    const link = f.features.find((x) => x.$type === LINK_FEATURE);
    const tag = f.features.find((x) => x.$type === TAG_FEATURE);
    const href = safeHref(link?.uri);
    if (href)
      parts.push(
        <a key={i} href={href} rel="noopener noreferrer nofollow" target="_blank" data-facet="link">
          {shown}
        </a>,
      );
    else if (tag?.tag)
      parts.push(
        <span key={i} class="tag" data-facet="tag" data-tag={tag.tag}>
          {shown}
        </span>,
      );
    else parts.push(shown);
    at = end;
  });
  parts.push(bytes.subarray(at).toString('utf8'));
  return <>{parts}</>;
}

/** What each facet marks, with its byte range, for an operator checking what Bluesky will link. */
function FacetList(props: { text: string; facets: readonly PostFacet[] }) {
  if (!props.facets.length) return null;
  const bytes = Buffer.from(props.text, 'utf8');
  return (
    <details class="facets">
      <summary>
        {props.facets.length} {props.facets.length === 1 ? 'facet' : 'facets'} (UTF-8 byte offsets)
      </summary>
      <ul>
        {props.facets.map((f) => {
          const { byteStart, byteEnd } = f.index;
          const what = f.features.map((x) => (x.$type === TAG_FEATURE ? 'hashtag' : 'link')).join(', ');
          return (
            <li key={`${byteStart}-${byteEnd}`} data-facet-range={`${byteStart}-${byteEnd}`}>
              {what} {byteStart}–{byteEnd}: <code>{bytes.subarray(byteStart, byteEnd).toString('utf8')}</code>
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/**
 * Bluesky: the text with its links and hashtags as the facets Crier sends mark them (derived from the text as
 * publishing derives them), the external card (thumbnail, title, description, domain), the count out of 300
 * graphemes and the size out of 3000 bytes.
 */
export function BlueskyPreview(props: PreviewProps) {
  const { post } = props;
  const facets = blueskyRules.annotate?.({ ...post, facets: undefined }).facets ?? [];
  const bytes = Buffer.byteLength(post.text, 'utf8');
  return (
    <PreviewFrame
      name="bluesky"
      label="Bluesky"
      post={post}
      siteName={props.siteName}
      handle={`@${post.account}`}
      check={props.check}
      text={<FacetText text={post.text} facets={facets} />}
      countNote={
        <>
          {' · '}
          <span class={bytes > MAX_TEXT_BYTES ? 'count count-over' : 'count'}>
            {bytes}/{MAX_TEXT_BYTES} bytes
          </span>
        </>
      }
      after={<FacetList text={post.text} facets={facets} />}
    >
      {post.link ? <ArticleCard post={post} url={post.link} upper={false} description domainLast /> : null}
    </PreviewFrame>
  );
}

export const blueskyPreview: PlatformPreview = {
  Preview: BlueskyPreview,
  style: `
.preview.bluesky .avatar { background: #0560c9; }
.preview.bluesky .card .domain { text-transform: none; border-top: 1px solid var(--line); margin-top: .4rem; padding-top: .3rem; }
.preview.bluesky .facets { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
.preview.bluesky .facets ul { margin: .2rem 0; padding-left: 1.2rem; }
.day li.p-bluesky { border-color: #0560c9; }
`,
};
