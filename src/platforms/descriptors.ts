import { bluesky } from './bluesky/descriptor.js';
import type { AnyPlatform } from './descriptor.js';
import { facebook } from './facebook/descriptor.js';
import { linkedin } from './linkedin/descriptor.js';
import { mastodon } from './mastodon/descriptor.js';
import { PLATFORMS, type PlatformName } from './registry.js';
import { twitter } from './twitter/descriptor.js';

/**
 * The descriptor of every platform of the registry (./registry.ts), in its order: one import and one entry each.
 * Importing this loads every platform's settings schema (zod), credentials, text rules and classifier, but not
 * their adapters (each loads on its first call, ./lazy-adapter.ts) nor their fakes. Light callers (argument
 * checks, help text) use the registry instead. tests/platforms/descriptors.test.ts checks that both list the same
 * platforms in the same order.
 */
const LISTED = [twitter, facebook, linkedin, bluesky, mastodon] as const;

/** A registered platform without a descriptor here is a type error (and one without a registry line is too). */
type Missing = Exclude<PlatformName, (typeof LISTED)[number]['name']>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export const PLATFORM_DESCRIPTORS: readonly AnyPlatform[] = LISTED;

/** The descriptor of a platform. */
export function platformOf(name: PlatformName): AnyPlatform {
  const d = PLATFORM_DESCRIPTORS.find((p) => p.name === name);
  if (!d) throw new Error(`unknown platform "${name}": expected one of ${PLATFORMS.join(', ')}`);
  return d;
}
