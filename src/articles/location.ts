import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s.trim());
}

/** The file path a location names: a `file:` URL, or a path relative to `baseDir` (default: cwd). */
export function locationPath(location: string, baseDir?: string): string {
  if (/^file:/i.test(location)) return fileURLToPath(location);
  return isAbsolute(location) ? location : resolve(baseDir ?? process.cwd(), location);
}

/** A URL for a location: http(s) URLs as they are, anything else as the `file:` URL of its path. */
export function locationUrl(location: string, baseDir?: string): string {
  if (isHttpUrl(location) || /^file:/i.test(location)) return location;
  return pathToFileURL(locationPath(location, baseDir)).href;
}

/** Resolves `href` against `base`; undefined for empty, unparsable or non-web (javascript:, data:) links. */
export function absoluteUrl(href: string | null | undefined, base: string): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    const u = new URL(h, base);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'file:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
