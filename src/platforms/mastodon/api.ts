/**
 * Wire shapes of the Mastodon REST API Crier uses (statuses, accounts, instance), shared by the adapter and the
 * fake. Facts: the shared platform API facts (/work/shared/docs), §2 of the second sheet.
 */

export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';
export const MASTODON_VISIBILITIES: readonly MastodonVisibility[] = [
  'public',
  'unlisted',
  'private',
  'direct',
];

/** The instance's default status limit when /api/v2/instance says nothing. */
export const DEFAULT_MAX_CHARACTERS = 500;

/** Body of POST /api/v1/statuses (JSON; the API also takes form fields). */
export interface MastodonStatusRequest {
  status: string;
  visibility?: MastodonVisibility;
  /** ISO 639-1 */
  language?: string;
  sensitive?: boolean;
  spoiler_text?: string;
  in_reply_to_id?: string;
  media_ids?: string[];
}

export interface MastodonCard {
  url: string;
  title: string;
  description: string;
  type: 'link' | 'photo' | 'video' | 'rich';
  image: string | null;
}

/** A Status as the API answers it (the fields Crier reads). */
export interface MastodonStatus {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  /** HTML: `<p>…</p>`, links as `<a href="…">`. */
  content: string;
  visibility: MastodonVisibility;
  language: string | null;
  in_reply_to_id: string | null;
  reblog: unknown;
  card: MastodonCard | null;
  account: { id: string; username: string; acct: string };
  /** Only in the answer to a DELETE: the source text, for "delete and redraft". */
  text?: string;
}

/** GET /api/v2/instance (the part Crier reads). */
export interface MastodonInstance {
  domain: string;
  configuration?: {
    statuses?: {
      max_characters?: number;
      characters_reserved_per_url?: number;
      max_media_attachments?: number;
    };
  };
}

/** Every error body: `{"error": "…"}` (validation errors may add `details`). */
export interface MastodonErrorBody {
  error?: string;
  error_description?: string;
}

/** The web links in a status's HTML content (the `href` of each anchor), entities decoded. */
export function contentLinks(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)) {
    out.push(
      m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    );
  }
  return out;
}
