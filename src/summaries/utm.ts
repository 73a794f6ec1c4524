import type { AccountConfig } from '../config/schema.js';

/**
 * The article link with the account's UTM parameters (utm_source, utm_medium, utm_campaign). Parameters the
 * link already has are kept; existing utm_* values are replaced by the account's. A link that does not parse
 * as a URL is returned unchanged.
 */
export function linkWithUtm(url: string, utm: AccountConfig['utm']): string {
  if (!utm) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.searchParams.set('utm_source', utm.source);
  u.searchParams.set('utm_medium', utm.medium);
  if (utm.campaign) u.searchParams.set('utm_campaign', utm.campaign);
  return u.toString();
}
