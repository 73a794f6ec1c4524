export const PLATFORMS = ['twitter', 'facebook', 'linkedin'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

export function isPlatform(s: string): s is PlatformName {
  return (PLATFORMS as readonly string[]).includes(s);
}
