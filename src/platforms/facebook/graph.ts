/**
 * Shapes of the Graph API (Pages) shared by the adapter, the classifier and the fake.
 * Facts: /work/shared/docs/platform-apis.md section 2.
 */

/** The `error` object of a Graph error body: `{"error": {...}}`. */
export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_user_title?: string;
  error_user_msg?: string;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Fields of a Page post the adapter reads from `/{page-id}/feed`. */
export interface GraphFeedItem {
  id: string;
  message?: string;
  link?: string;
  permalink_url?: string;
  created_time?: string;
}

export const GRAPH_ERROR_TYPE = 'OAuthException';

/** Permissions a Page token needs to publish and read back its posts. */
export const REQUIRED_PERMISSIONS = ['pages_manage_posts', 'pages_read_engagement'] as const;

/** Public URL of a Page post from its `{page-id}_{post-id}` id (permalink_url is preferred when known). */
export function postUrl(postId: string): string {
  return `https://www.facebook.com/${postId}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Reads the `error` object of a Graph response body (JSON text or parsed), if it has one. */
export function parseGraphError(body: unknown): GraphError | undefined {
  let data = body;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(data) || !isRecord(data.error)) return undefined;
  const e = data.error;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    message: str(e.message),
    type: str(e.type),
    code: asNumber(e.code),
    error_subcode: asNumber(e.error_subcode),
    error_user_title: str(e.error_user_title),
    error_user_msg: str(e.error_user_msg),
    is_transient: typeof e.is_transient === 'boolean' ? e.is_transient : undefined,
    fbtrace_id: str(e.fbtrace_id),
  };
}

/** Reads the `data` array of a feed listing, keeping only well-formed items. */
export function parseFeed(body: unknown): GraphFeedItem[] | undefined {
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined;
  const items: GraphFeedItem[] = [];
  for (const raw of body.data) {
    if (!isRecord(raw) || typeof raw.id !== 'string') continue;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    items.push({
      id: raw.id,
      message: str(raw.message),
      link: str(raw.link),
      permalink_url: str(raw.permalink_url),
      created_time: str(raw.created_time),
    });
  }
  return items;
}
