import { bluesky } from './bluesky/descriptor.js';
import type { AnyPlatform } from './descriptor.js';
import { facebook } from './facebook/descriptor.js';
import { linkedin } from './linkedin/descriptor.js';
import { mastodon } from './mastodon/descriptor.js';
import { twitter } from './twitter/descriptor.js';

/**
 * Every platform Crier publishes to, one line each, in the order commands and status list them. A platform is
 * its folder (src/platforms/<name>/, exporting one descriptor) and its line here: see docs/adding-a-platform.md.
 */
export const PLATFORM_DESCRIPTORS = [twitter, facebook, linkedin, bluesky, mastodon] as const;

export type PlatformName = (typeof PLATFORM_DESCRIPTORS)[number]['name'];

/** The platform names, in registry order. */
export const PLATFORMS: readonly PlatformName[] = PLATFORM_DESCRIPTORS.map((d) => d.name);

export function isPlatform(s: string): s is PlatformName {
  return (PLATFORMS as readonly string[]).includes(s);
}

/** The descriptor of a platform. */
export function platformOf(name: PlatformName): AnyPlatform {
  const d = PLATFORM_DESCRIPTORS.find((p) => p.name === name);
  if (!d) throw new Error(`unknown platform "${name}": expected one of ${PLATFORMS.join(', ')}`);
  return d as AnyPlatform;
}
