import type { Article } from '../../articles/article.js';
import type { AccountConfig } from '../../config/schema.js';
import type { PlatformName } from '../../core/platform.js';
import type { Post } from '../../core/post.js';
import type { SummaryBudget } from '../budget.js';
import type { LengthUnit } from '../length.js';

/** Everything a composer needs for one account, decided before any summary is made. */
export interface ComposeContext {
  article: Article;
  account: AccountConfig;
  siteName: string;
  /** The account's template (named, inline or the platform default). */
  template: string;
  /** The article link as sent: with the account's UTM parameters. */
  link: string;
  /**
   * False when the article has no web address yet (a saved page or plain text read without `--url`):
   * `link` is then a stand-in that takes a link's room while the post is fitted, and is left out of the text.
   */
  linkKnown: boolean;
  /** Candidate hashtags ("#Tag"), best first; the composer keeps those that fit, up to the account's max. */
  hashtags: string[];
}

/** What a platform allows and what reads well on it. */
export interface PlatformRules {
  platform: PlatformName;
  unit: LengthUnit;
  /** Hard limit of the post text, in `unit`. */
  maxLength: number;
  /**
   * The length as the platform counts it, where `unit` alone does not say it all (a remote mention counted as its
   * local part). Composing and the validator both count with it.
   */
  measure?(text: string): number;
  /**
   * How an operator is told the length: `noun` after "231/280" ("weighted characters", "graphemes"), and how links
   * count when not as written ("every link counts 23"), said when a post is too long.
   */
  counted: { noun: string; links?: string };
  /** Default size of the summary part. */
  summary: { maxLength: number; maxSentences?: number };
  defaultTemplate: string;
  /** Escaping of ordinary text (LinkedIn little text). Hashtags Crier builds are inserted as they are. */
  escape?: (s: string) => string;
  /** The text itself must carry the link (X builds its card from the URL in the text). */
  linkInText: boolean;
  /**
   * The platform also shows the link as a card of its own (an embedded link card): a link too long to leave
   * room for a sentence beside it is left out of the text, and the card carries it.
   */
  linkCard?: boolean;
  /**
   * A summary that merely repeats the headline (the fallback when no sentence fits) is said once: the
   * `{headline}` is left empty. Default true; X keeps both.
   */
  headlineOnce?: boolean;
  /** Whether a text within `maxLength` is acceptable to the platform. */
  accepts(text: string): boolean;
  /**
   * Why the platform would refuse or mangle a text, besides its length (which the validator checks), in words an
   * operator can act on: LinkedIn's unescaped reserved characters, a limit in bytes beside the one in `unit`. An
   * operator's edit must have none. Without it, a text `accepts` refuses gets a generic reason.
   */
  problems?(text: string): string[];
  /**
   * Operators write what readers will see; the text sent differs (LinkedIn little text): `toSend` turns the
   * operator's plain text into the text as sent (`display` is the way back), `note` tells the operator so.
   */
  plainText?: { toSend(plain: string): string; note: string };
  /** Replies continuing the post (X threads): the longer summary they need, and how they are cut from it. */
  thread?: {
    budget(account: AccountConfig): SummaryBudget | null;
    build(postSummary: string, longSummary: string, account: AccountConfig): string[];
  };
  /**
   * An account whose limit differs from `maxLength` (a federated platform: each instance sets its own): the limit the operator
   * pinned in the account's settings, or the one the platform reports (asked when composing for publishing; a
   * failed question falls back to `maxLength`).
   */
  accountLimit?: {
    pinned(account: AccountConfig): number | undefined;
    ask(account: AccountConfig, env: Record<string, string | undefined>): Promise<number | undefined>;
  };
  /** Adds what the platform derives from the final text (rich-text facets with byte offsets). */
  annotate?(post: Post): Post;
  /** The text as a follower reads it (markup escapes removed), for previews. */
  display?(text: string): string;
}
