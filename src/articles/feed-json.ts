import * as z from 'zod';
import { SourceError } from './errors.js';

/**
 * JSON Feed (https://jsonfeed.org/version/1.1) fields type-checked before anything is read from them: a
 * field of the wrong type (a title that is a number, tags that are a string) is never coerced into a post.
 * An item with a wrongly typed field is skipped with a warning naming the item and the field; a feed whose
 * top level is wrong is an error.
 */

const str = z.string();
const author = z.looseObject({ name: str.optional(), url: str.optional() });

const itemSchema = z.looseObject({
  id: z.union([str, z.number()]),
  url: str.optional(),
  external_url: str.optional(),
  title: str.optional(),
  content_html: str.optional(),
  content_text: str.optional(),
  summary: str.optional(),
  image: str.optional(),
  banner_image: str.optional(),
  date_published: str.optional(),
  date_modified: str.optional(),
  tags: z.array(str).optional(),
  author: author.optional(),
  authors: z.array(author).optional(),
});

const feedSchema = z.looseObject({
  version: str,
  title: str.optional(),
  home_page_url: str.optional(),
  feed_url: str.optional(),
  items: z.array(z.unknown()),
});

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : `a ${t}`;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const field = issue.path.map(String).join('.') || '(item)';
  let at: unknown = value;
  for (const k of issue.path) at = (at as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey];
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union')
    return at === undefined
      ? `"${field}" is missing`
      : `"${field}" is ${typeName(at)}, expected ${expected(issue)}`;
  return `"${field}": ${issue.message}`;
}

function expected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected === 'array' ? 'an array' : `a ${issue.expected}`;
  return 'a string or a number';
}

/** Deepest nesting a JSON Feed may have (real ones nest 4 or 5 levels; recursion past a few thousand overflows). */
export const MAX_JSON_DEPTH = 64;

/** True when arrays and objects nest deeper than `max` (counted outside strings, in one pass, no recursion). */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

/** The JSON text with only well-typed items; throws for a wrongly typed top level. */
export function checkJsonFeed(text: string, source: string, warn: (message: string) => void): string {
  if (jsonDeeperThan(text, MAX_JSON_DEPTH))
    throw new SourceError(
      source,
      'unparseable',
      `malformed feed: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SourceError(source, 'unparseable', `malformed feed: not valid JSON (${(e as Error).message})`, {
      cause: e,
    });
  }
  const feed = feedSchema.safeParse(value);
  if (!feed.success) {
    throw new SourceError(
      source,
      'unparseable',
      `malformed feed: JSON Feed ${describeIssue(feed.error.issues[0]!, value)}`,
    );
  }
  const items: unknown[] = [];
  feed.data.items.forEach((raw, i) => {
    const item = itemSchema.safeParse(raw);
    if (item.success) {
      items.push({ ...item.data, id: String(item.data.id) });
      return;
    }
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const named = typeof id === 'string' || typeof id === 'number' ? ` (id ${JSON.stringify(id)})` : '';
    warn(`${source}: JSON Feed item ${i + 1}${named} skipped: ${describeIssue(item.error.issues[0]!, raw)}`);
  });
  if (feed.data.items.length > 0 && items.length === 0)
    throw new SourceError(
      source,
      'unparseable',
      'malformed feed: none of its JSON Feed items has fields of the right types',
    );
  return JSON.stringify({ ...feed.data, items });
}
