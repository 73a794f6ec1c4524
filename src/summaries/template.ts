import type { AccountConfig } from '../config/schema.js';

export const PLACEHOLDERS = ['headline', 'summary', 'link', 'hashtags', 'site'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

const PLACEHOLDER = /\{(headline|summary|link|hashtags|site)\}/g;

/** The account's template: a named one from `templates`, an inline one, else the platform default. */
export function resolveTemplate(
  account: Pick<AccountConfig, 'template'>,
  templates: Record<string, string>,
  platformDefault: string,
): string {
  const t = account.template;
  if (!t) return platformDefault;
  if (Object.hasOwn(templates, t)) return templates[t]!;
  return t.includes('{') ? t : platformDefault;
}

export function hasPlaceholder(template: string, name: Placeholder): boolean {
  return template.includes(`{${name}}`);
}

export interface FillOptions {
  /** Applied to the template's own text and to every value except those listed in `raw`. */
  escape?: (s: string) => string;
  /** Values inserted as they are (LinkedIn: the hashtags Crier builds on purpose). */
  raw?: readonly Placeholder[];
}

/**
 * Fills a template and tidies the result: a line whose placeholders all came out empty disappears (with
 * its label, e.g. "Tags: {hashtags}"), runs of spaces shrink to one, lines are trimmed, and at most one
 * blank line is kept between paragraphs. Unknown `{names}` stay as literal text.
 */
export function fillTemplate(template: string, values: TemplateValues, opts: FillOptions = {}): string {
  const esc = opts.escape ?? ((s: string) => s);
  const raw = new Set(opts.raw ?? []);
  const lines: string[] = [];
  for (const line of template.replace(/\r\n?/g, '\n').split('\n')) {
    let out = '';
    let last = 0;
    let placeholders = 0;
    let filled = 0;
    for (const m of line.matchAll(PLACEHOLDER)) {
      const name = m[1] as Placeholder;
      const value = values[name].trim();
      out += esc(line.slice(last, m.index));
      out += raw.has(name) ? value : esc(value);
      last = m.index + m[0].length;
      placeholders += 1;
      if (value) filled += 1;
    }
    out += esc(line.slice(last));
    if (placeholders > 0 && filled === 0) continue;
    lines.push(out.replace(/[ \t]{2,}/g, ' ').trim());
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
