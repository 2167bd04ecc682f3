import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Security headers from helmet, with a Content-Security-Policy strict enough for the web app: scripts
 * from Keystone's own origin only (never inline), no framing, no plugins. Inline styles stay allowed
 * for the self-contained panel report and the API docs. Every answer is `Cache-Control: no-store`:
 * they are personal or change with the log (a static asset that wants caching sets its own).
 */
export function securityHeaders() {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return (req: Request, res: Response, next: NextFunction) =>
    headers(req, res, () => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    });
}
