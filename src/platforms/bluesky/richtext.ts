import type { PostFacet } from '../../core/post.js';
import { graphemeLength } from '../../summaries/length.js';
import { twitterText } from '../../summaries/twitter-text.js';

export const LINK_FEATURE = 'app.bsky.richtext.facet#link';
export const TAG_FEATURE = 'app.bsky.richtext.facet#tag';
/** The longest tag Bluesky takes, in graphemes (without "#"). */
export const MAX_TAG_GRAPHEMES = 64;

/** The UTF-8 byte offset of a UTF-16 index of `text` (facets count bytes, JavaScript strings count UTF-16 units). */
export function byteOffset(text: string, utf16Index: number): number {
  return Buffer.byteLength(text.slice(0, utf16Index), 'utf8');
}

/** The text of a byte range, as a reader of the record's facets would cut it. */
export function sliceBytes(text: string, byteStart: number, byteEnd: number): string {
  return Buffer.from(text, 'utf8').subarray(byteStart, byteEnd).toString('utf8');
}

// Bluesky's own hashtag rule (RichText.detectFacets): after the start or a space, "#" then a word that is not only
// digits; trailing punctuation is not part of it.
const TAG =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character (ZWJ too) ends a tag alone.
  /(^|\s)[#＃]((?!\ufe0f)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2]*)?/gu;

/**
 * The facets of a post text: every web link (with its scheme) as a link facet and every hashtag as a tag facet,
 * with UTF-8 byte offsets (end exclusive), in text order. Bluesky shows an unfaceted URL or #tag as plain text.
 */
export function detectFacets(text: string): PostFacet[] {
  const facets: PostFacet[] = [];
  for (const u of twitterText().extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    const [from, to] = u.indices;
    facets.push({
      index: { byteStart: byteOffset(text, from), byteEnd: byteOffset(text, to) },
      features: [{ $type: LINK_FEATURE, uri: text.slice(from, to) }],
    });
  }
  for (const m of text.matchAll(TAG)) {
    const lead = m[1] ?? '';
    const raw = m[2];
    if (!raw) continue;
    const tag = raw.trim().replace(/\p{P}+$/gu, '');
    if (!tag || graphemeLength(tag) > MAX_TAG_GRAPHEMES) continue;
    const start = (m.index ?? 0) + lead.length;
    const end = start + 1 + tag.length;
    if (
      facets.some(
        (f) => f.index.byteStart < byteOffset(text, end) && byteOffset(text, start) < f.index.byteEnd,
      )
    )
      continue;
    facets.push({
      index: { byteStart: byteOffset(text, start), byteEnd: byteOffset(text, end) },
      features: [{ $type: TAG_FEATURE, tag }],
    });
  }
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}
