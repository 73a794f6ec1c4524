import type { z } from 'zod';
import type { PlatformName } from '../core/platform.js';
import type { Post } from '../core/post.js';
import type { PlatformPreview } from '../http/console/views/preview-parts.js';
import type { PlatformRules } from '../summaries/platforms/types.js';
import type { AdapterOptions, PlatformAdapter, TokenStore } from './adapter.js';
import type { Env } from './env.js';
import type { FakeListen, FakePlatform, FakeTls } from './fake/platform.js';
import type { HttpAnswer, Operation, Verdict } from './verdict.js';

/**
 * Everything Crier knows about one platform, in one object: its module (src/platforms/<name>/) exports one
 * descriptor and ./descriptors.ts lists them, in the order of the registry (./registry.ts: each platform's name and
 * label, light enough for `--help`). Configuration, credentials, composing, publishing, status, help text, the demo
 * and the test fakes all work from these two lists, so adding a platform is its folder, its tests, one registry
 * line, one descriptors line and the docs (docs/adding-a-platform.md).
 */
export interface PlatformDescriptor<
  Credentials = unknown,
  Settings = Record<string, unknown>,
  Name extends PlatformName = PlatformName,
> {
  /**
   * The name in the configuration (`platform:`), queue names (`publish-<name>`) and commands: one of the registry's
   * (which also holds the platform's label, `platformLabel(name)`).
   */
  readonly name: Name;
  /**
   * The API's base URL: the variable that points it elsewhere (fakes, a proxy) and the real one. A platform whose
   * accounts each name their own server (federated instances) has no default: its credentials carry the URL.
   */
  readonly api: { readonly env: string; readonly default?: string };
  readonly credentials: {
    /** The variables an account reads (each with the account's `envPrefix`), for help and docs. */
    readonly variables: readonly EnvVariable[];
    /** Reads them; never throws: reports what is missing or malformed. */
    read(env: Env, prefix: string, settings: Settings): CredentialsRead<Credentials>;
  };
  /**
   * Account settings only this platform has (a zod shape with defaults), merged into the account's schema:
   * a setting of another platform is an unknown key there.
   */
  readonly settings: z.ZodRawShape;
  /** The text rules and composer (limits, default template, escaping, extras such as threads or facets). */
  readonly rules: PlatformRules;
  /** One adapter for one account whose credentials were read. */
  createAdapter(args: AdapterArgs<Credentials, Settings>): PlatformAdapter;
  /** The failure classifier of one API answer (pure; the adapter's HTTP calls go through it). */
  classify(answer: HttpAnswer, operation: Operation): Verdict;
  /**
   * How followers will see a post, for the console (its module's preview.tsx, built from the shared parts of
   * src/http/console/views/preview-parts.tsx), imported when the console starts. Without it the console shows
   * the generic preview: the text, the link card and the count.
   */
  readonly preview?: () => Promise<PlatformPreview>;
  /** A faithful fake of the platform's API on loopback HTTPS, for tests, the conformance suite and the demo. */
  startFake(tls: FakeTls, opts?: FakeListen): Promise<FakePlatform>;
}

/** A platform descriptor whatever its credential and settings types (what ./descriptors.ts lists). */
// biome-ignore lint/suspicious/noExplicitAny: the list holds descriptors of different credential types.
export type AnyPlatform = PlatformDescriptor<any, any, PlatformName>;

export interface EnvVariable {
  /** Without the account's prefix. */
  name: string;
  meaning: string;
  /** Needed for the account to be enabled (alternatives are told in `meaning`). */
  required?: boolean;
  /** Never logged, never shown. */
  secret?: boolean;
}

export type CredentialsRead<C> =
  | { ok: true; credentials: C }
  | { ok: false; missing: string[]; problem?: string };

export interface AdapterArgs<Credentials, Settings> {
  /** The account id. */
  account: string;
  credentials: Credentials;
  /** The account's own settings (validated by `settings` at start-up). */
  settings: Settings;
  options: AdapterOptions;
  /** Where tokens that rotate or sessions worth keeping live (Redis in production). */
  tokens?: TokenStore;
  /** Told when the article image is left out of a post (the post goes out without it). */
  onImageSkipped?: (reason: string, post: Post) => void;
}
