import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { ChainableCommander, Redis } from 'ioredis';
import type { Article } from '../articles/article.js';
import { redisKeys } from '../queue/keys.js';

export type IngestVerdict = 'new' | 'unchanged' | 'corrected';

export interface StoredArticle {
  article: Article;
  /** Hash of what the posts are made from (title, text, url): a change means the article was corrected. */
  version: string;
  firstSeenAt: string;
  updatedAt: string;
  /** Remembered without posting (the backlog of a newly added source, or too old): corrections are not posted either. */
  heldBack?: HeldBack;
  /** The configured source it came from (its approval and onWithdrawn settings apply), when known. */
  sourceId?: string;
}

export type HeldBack = 'backlog' | 'too-old';

/**
 * An article is stored as deflated JSON (a third of its size: it is kept for the whole retention); one stored
 * before as plain JSON (it starts with "{") still reads.
 */
export function packStored(stored: StoredArticle): Buffer {
  return deflateSync(JSON.stringify(stored));
}

export function unpackStored(raw: Buffer): StoredArticle {
  const json = raw[0] === 0x7b ? raw.toString('utf8') : inflateSync(raw).toString('utf8');
  return JSON.parse(json) as StoredArticle;
}

export function articleVersion(a: Article): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.text, a.url, a.description ?? '', a.image ?? '']))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Articles seen, by stable key (canonical URL, else GUID): not by date, so an edited or re-ordered feed neither
 * re-posts nor misses items. Jobs carry the article id; the article itself lives here.
 */
export class ArticleStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionSeconds: number,
  ) {}

  private key(id: string) {
    return redisKeys(this.prefix).article(id);
  }

  private aliasKey(alias: string) {
    return redisKeys(this.prefix).articleAlias(createHash('sha256').update(alias).digest('hex').slice(0, 24));
  }

  /**
   * The article under the identity it already has here: one not known by its own key but by one of its
   * aliases (a feed GUID whose link changed with an edited slug) takes the known article's id and key, so it
   * is a corrected version of that article, not a new one. `movedFrom` is the link it had before.
   */
  async resolve(article: Article): Promise<{ article: Article; movedFrom?: string }> {
    if (!article.aliases?.length || (await this.redis.exists(this.key(article.id)))) return { article };
    for (const alias of article.aliases) {
      const id = await this.redis.get(this.aliasKey(alias));
      const known = id && id !== article.id ? await this.get(id) : null;
      if (known)
        return {
          article: { ...article, id: known.article.id, key: known.article.key },
          movedFrom: known.article.url,
        };
    }
    return { article };
  }

  async get(id: string): Promise<StoredArticle | null> {
    const raw = await this.redis.getBuffer(this.key(id));
    return raw ? unpackStored(raw) : null;
  }

  /** The stored articles of these ids (one round trip), by id; unknown ids are absent. */
  async getMany(ids: string[]): Promise<Map<string, StoredArticle>> {
    if (ids.length === 0) return new Map();
    return this.parseMany(ids, await this.redis.mgetBuffer(...ids.map((id) => this.key(id))));
  }

  /** `getMany` as one command of the caller's pipeline: its reply goes to `parseMany`. */
  queueGetMany(pipeline: ChainableCommander, ids: string[]): void {
    pipeline.mgetBuffer(...ids.map((id) => this.key(id)));
  }

  parseMany(ids: string[], values: Array<Buffer | null>): Map<string, StoredArticle> {
    const out = new Map<string, StoredArticle>();
    values.forEach((v, i) => {
      if (v) out.set(ids[i]!, unpackStored(v));
    });
    return out;
  }

  /** Stores the article and tells whether it is new, unchanged or a corrected version of one seen before. */
  async put(
    article: Article,
    opts: { heldBack?: HeldBack; sourceId?: string } = {},
  ): Promise<{ verdict: IngestVerdict; stored: StoredArticle }> {
    const [one] = await this.putMany([{ article, prev: await this.get(article.id), ...opts }]);
    return one!;
  }

  /**
   * Stores several articles whose stored versions the caller has read (`prev`, null when unknown), in one MULTI
   * block that starts with the caller's own writes (`first`), and tells each one's verdict.
   */
  async putMany(
    items: Array<{ article: Article; prev: StoredArticle | null; heldBack?: HeldBack; sourceId?: string }>,
    first?: (multi: ChainableCommander) => void,
  ): Promise<Array<{ verdict: IngestVerdict; stored: StoredArticle }>> {
    const multi = this.redis.multi();
    first?.(multi);
    const out = items.map((item) => this.write(multi, item));
    await multi.exec();
    return out;
  }

  private write(
    multi: ChainableCommander,
    {
      article,
      prev,
      ...opts
    }: { article: Article; prev: StoredArticle | null; heldBack?: HeldBack; sourceId?: string },
  ): { verdict: IngestVerdict; stored: StoredArticle } {
    const now = new Date().toISOString();
    const version = articleVersion(article);
    for (const alias of article.aliases ?? [])
      multi.set(this.aliasKey(alias), article.id, 'EX', this.retentionSeconds);
    if (prev && prev.version === version) {
      // Seen again: the dedupe window runs from the last sighting, so an item that stays in a feed longer
      // than the retention is never taken for a new one.
      multi.expire(this.key(article.id), this.retentionSeconds);
      return { verdict: 'unchanged', stored: prev };
    }
    const heldBack = prev ? prev.heldBack : opts.heldBack;
    const sourceId = opts.sourceId ?? prev?.sourceId;
    const stored: StoredArticle = {
      article,
      version,
      firstSeenAt: prev?.firstSeenAt ?? now,
      updatedAt: now,
      ...(heldBack ? { heldBack } : {}),
      ...(sourceId ? { sourceId } : {}),
    };
    multi.set(this.key(article.id), packStored(stored), 'EX', this.retentionSeconds);
    return { verdict: prev ? 'corrected' : 'new', stored };
  }
}
