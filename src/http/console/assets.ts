import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { CONSOLE_JS } from './assets/script.js';
import { CONSOLE_CSS } from './assets/style.js';

interface Asset {
  type: string;
  body: string;
  etag: string;
}

const asset = (type: string, body: string): Asset => ({
  type,
  body,
  etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
});

/**
 * The console's only style sheet and script, served from memory: nothing comes from a CDN and no web font is
 * loaded, so the console works offline. They hold no data and need no session. `previewStyles`: the style rules
 * of the platforms' previews (each platform's module brings its own), added to the sheet.
 */
export function consoleAssets(previewStyles = ''): RequestHandler {
  const css = previewStyles
    ? `${CONSOLE_CSS}\n/* Each platform's preview */\n${previewStyles}\n`
    : CONSOLE_CSS;
  const assets = new Map<string, Asset>([
    ['/assets/console.css', asset('text/css; charset=utf-8', css)],
    ['/assets/console.js', asset('text/javascript; charset=utf-8', CONSOLE_JS)],
  ]);
  return (req, res, next) => {
    const a = req.method === 'GET' || req.method === 'HEAD' ? assets.get(req.path) : undefined;
    if (!a) return next();
    res.set({ 'Content-Type': a.type, ETag: a.etag, 'Cache-Control': 'no-cache' });
    if (req.get('if-none-match') === a.etag) return void res.status(304).end();
    res.status(200).send(a.body);
  };
}
