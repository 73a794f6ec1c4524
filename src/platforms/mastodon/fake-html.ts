import { twitterText } from '../../summaries/twitter-text.js';

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A link as Mastodon renders it: the scheme and the tail past 30 characters hidden. */
function linkHtml(url: string): string {
  const m = /^(https?:\/\/(?:www\.)?)(.*)$/i.exec(url);
  const scheme = m?.[1] ?? '';
  const rest = m?.[2] ?? url;
  const shown = rest.slice(0, 30);
  const hidden = rest.slice(30);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${escapeHtml(
    scheme,
  )}</span><span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(shown)}</span><span class="invisible">${escapeHtml(
    hidden,
  )}</span></a>`;
}

/**
 * A status's text as Mastodon's formatter turns it into `content`: paragraphs in <p>, line breaks as <br />,
 * links and hashtags as anchors, everything else escaped.
 */
export function statusHtml(text: string, origin: string): string {
  const entities = [
    ...twitterText()
      .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })
      .map((u) => ({
        start: u.indices[0],
        end: u.indices[1],
        html: linkHtml(u.url),
      })),
    ...twitterText()
      .extractHashtagsWithIndices(text)
      .map((h) => ({
        start: h.indices[0],
        end: h.indices[1],
        html: `<a href="${origin}/tags/${encodeURIComponent(h.hashtag.toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(
          h.hashtag,
        )}</span></a>`,
      })),
  ].sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const e of entities) {
    if (e.start < last) continue;
    out += escapeHtml(text.slice(last, e.start)) + e.html;
    last = e.end;
  }
  out += escapeHtml(text.slice(last));
  return out
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br />')}</p>`)
    .join('');
}

/** What a reader sees of `content`: the tags taken off, breaks and paragraphs as new lines, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<\/p><p>/g, '\n\n')
    .replace(/<br \/>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
