/**
 * Every platform Crier publishes to, one line each, in the order commands and status list them: its name (in the
 * configuration's `platform:`, queue names and commands) and its label (what readers call it: help text, messages,
 * the demo). This module is data only and imports nothing, so that argument checks and `--help` can use it without
 * loading any platform's code. What Crier does with a platform is its descriptor (src/platforms/<name>/
 * descriptor.ts), listed in the same order in ./descriptors.ts. Adding a platform: docs/adding-a-platform.md.
 */
export const PLATFORM_LIST = [
  { name: 'twitter', label: 'X' },
  { name: 'facebook', label: 'Facebook' },
  { name: 'linkedin', label: 'LinkedIn' },
  { name: 'bluesky', label: 'Bluesky' },
  { name: 'mastodon', label: 'Mastodon' },
] as const;

export type PlatformName = (typeof PLATFORM_LIST)[number]['name'];

/** The platform names, in registry order. */
export const PLATFORMS: readonly PlatformName[] = PLATFORM_LIST.map((p) => p.name);

export function isPlatform(s: string): s is PlatformName {
  return (PLATFORMS as readonly string[]).includes(s);
}

/** The platform as readers know it ("X", "Facebook", "LinkedIn"). */
export function platformLabel(name: PlatformName): string {
  const p = PLATFORM_LIST.find((x) => x.name === name);
  if (!p) throw new Error(`unknown platform "${name}": expected one of ${PLATFORMS.join(', ')}`);
  return p.label;
}
