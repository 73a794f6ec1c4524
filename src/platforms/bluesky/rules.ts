import type { PlatformRules } from '../../summaries/platforms/types.js';
import { MAX_GRAPHEMES, MAX_TEXT_BYTES } from './api.js';
import { detectFacets } from './richtext.js';

/**
 * Bluesky post: at most 300 graphemes and 3000 UTF-8 bytes, links counted in full. The link goes in the text (as
 * a link facet) and in the external card (the card alone when the link leaves no room for a sentence: links
 * count in full, and a percent-encoded address can be longer than a post); hashtags are tag facets. Summary: two sentences at most, so the post
 * reads in one glance beside its card.
 */
export const blueskyRules: PlatformRules = {
  platform: 'bluesky',
  unit: 'graphemes',
  maxLength: MAX_GRAPHEMES,
  counted: { noun: 'graphemes' },
  summary: { maxLength: MAX_GRAPHEMES, maxSentences: 2 },
  defaultTemplate: '{summary}\n\n{hashtags}\n{link}',
  linkInText: true,
  linkCard: true,
  accepts: (text) => text.trim().length > 0 && Buffer.byteLength(text, 'utf8') <= MAX_TEXT_BYTES,
  problems: (text) => {
    const bytes = Buffer.byteLength(text, 'utf8');
    return bytes > MAX_TEXT_BYTES
      ? [
          `Bluesky post is ${bytes}/${MAX_TEXT_BYTES} bytes (UTF-8): shorten it by ${bytes - MAX_TEXT_BYTES} bytes`,
        ]
      : [];
  },
  annotate: (post) => {
    const facets = detectFacets(post.text);
    return facets.length ? { ...post, facets } : post;
  },
};
