import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers of every console page: a Content Security Policy with no inline script or style at all
 * (scripts and styles come from /assets only; article images may come from the article's site over https),
 * no framing, no referrer outside the console, no MIME sniffing.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}
