import type { FailureKind } from '../../core/failure.js';
import type { PlatformName } from '../../core/platform.js';
import type { FakeServer } from './server.js';

/**
 * A started fake of one platform, as the registry's generic code sees it (fake/all.ts, the demo, the conformance
 * suite). `fake` is the platform's own fake with its full test API.
 */
export interface FakePlatform<F = unknown> {
  /** The platform (its label, for people: `platformLabel(name)` of the registry). */
  readonly name: PlatformName;
  readonly fake: F;
  /** The shared machinery: requests received, scripted faults, the movable clock. */
  readonly server: FakeServer;
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** Variables that point Crier at this fake with credentials it accepts (base URL and credentials, no prefix). */
  env(): Record<string, string>;
  /** Forgets posts, faults, requests and clock moves; the default credentials work again. */
  reset(): void;
  close(): Promise<void>;
  /** The posts the platform holds now, oldest first, as a follower sees them. */
  posts(): FakePost[];
  /** Ways to make the platform fail as it really does (conformance suite, failure tests). */
  readonly scenarios: FakeScenarios;
}

export interface FakePost {
  id: string;
  /** What followers read. */
  text: string;
  /** Details worth showing beside it: length as the platform counts it, the link card, replies, a cut. */
  notes: string[];
}

export interface FakeScenarios {
  /** Posting is refused as rate-limited (with the platform's own reset signal) for about `ms` from now. */
  rateLimit(ms: number): void;
  /** The account's credentials stop working (an expired or revoked token). */
  revokeCredentials(): void;
  /** The next create is refused as invalid, with the platform's own answer. */
  rejectNextAsInvalid(): void;
  /** The next create answers a server error before storing anything. */
  failNextBeforeStore(): void;
  /** The next create stores the post, then answers a server error (the post exists). */
  failNextAfterStore(): void;
  /** Reading the account's recent posts is refused (a missing read permission). */
  refuseLookups(): void;
  /** What `find` does when look-ups are refused: returns null (the platform cannot be asked) or throws this kind. */
  readonly lookupRefused: 'null' | FailureKind;
  /**
   * What the platform does with the same post sent twice: refuses it as a duplicate, or answers with the post it
   * already has (an idempotency key, or a look-up before posting).
   */
  readonly duplicate: 'refused' | 'same-post';
}

/** The certificate and key a fake serves HTTPS with. */
export interface FakeTls {
  cert: string;
  key: string;
}

/** Where a fake listens: port 0 (any free port) and 127.0.0.1 unless told. */
export interface FakeListen {
  port?: number;
  host?: string;
}

/** What a platform's fake has that the generic code needs to run it. */
export interface RunnableFake {
  readonly url: string;
  start(tls: FakeTls, port?: number, host?: string): Promise<string>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts `fake` and wraps it as a `FakePlatform`: the plumbing every platform shares (url, reset, close), with
 * the parts each platform has of its own (`env`, `posts`, `scenarios`).
 */
export async function startFakePlatform<F extends RunnableFake>(
  name: PlatformName,
  fake: F,
  server: FakeServer,
  tls: FakeTls,
  listen: FakeListen,
  own: Pick<FakePlatform<F>, 'env' | 'posts' | 'scenarios'>,
): Promise<FakePlatform<F>> {
  await fake.start(tls, listen.port ?? 0, listen.host ?? '127.0.0.1');
  return {
    name,
    fake,
    server,
    get url() {
      return fake.url;
    },
    env: own.env,
    reset: () => fake.reset(),
    close: () => fake.close(),
    posts: own.posts,
    scenarios: own.scenarios,
  };
}
