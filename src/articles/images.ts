import { type FetchPolicy, FetchRefusedError } from '../fetch/policy.js';
import type { Article } from './article.js';

/**
 * An article image (og:image, twitter:image, JSON-LD, media:content, a feed's first picture) is fetched by
 * the workers before it is uploaded: it must be an address the fetch policy lets through. What can be told
 * without a lookup (the scheme, credentials, a literal private or loopback address) is checked when the
 * article is read, so previews and queued posts never carry such an image; host names are checked when the
 * image is downloaded (platforms/image.ts), at the address actually connected to.
 */
export function refusedImage(image: string, policy: FetchPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(image);
  } catch {
    return 'not a valid URL';
  }
  try {
    policy.checkUrl(url);
    return undefined;
  } catch (e) {
    if (e instanceof FetchRefusedError) return e.message;
    throw e;
  }
}

/** The articles with every image the policy refuses left out, each named in a warning. */
export function withFetchableImages(
  articles: Article[],
  policy: FetchPolicy,
  source: string,
  warn: (message: string) => void,
): Article[] {
  return articles.map((a) => {
    const why = a.image ? refusedImage(a.image, policy) : undefined;
    if (!why) return a;
    warn(`${source}: "${a.title.slice(0, 80)}": image left out: ${why}`);
    const { image: _refused, ...rest } = a;
    return rest as Article;
  });
}
