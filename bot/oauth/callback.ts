/**
 * `GET /oauth/google/callback`: where Google sends the owner's browser after consent. The work is
 * bot/flows/google-connect.ts; this answers with one small page in the tenant's language, right to
 * left for Hebrew and Arabic, that needs no JavaScript and loads nothing else.
 */
import express from 'express';
import { GOOGLE_CALLBACK_PATH } from '../config.ts';
import { finishGoogleConnect, type ConnectOutcome } from '../flows/google-connect.ts';
import type { Services } from '../services.ts';
import { textOf, type Language, type TextKey } from '../texts/index.ts';

const PAGE_TEXT: Record<ConnectOutcome, TextKey> = {
  connected: 'page.google.connected',
  awaiting_pick: 'page.google.connected',
  no_locations: 'page.google.connected',
  denied: 'page.google.denied',
  tampered: 'page.google.invalid',
  expired: 'page.google.expired',
  used: 'page.google.expired',
  missing_code: 'page.google.failed',
  refused: 'page.google.failed',
};

const SUCCEEDED = new Set<ConnectOutcome>(['connected', 'awaiting_pick', 'no_locations']);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The whole page: a heading and a line, styled inline. */
export function connectPage(language: Language, outcome: ConnectOutcome): string {
  const dir = language === 'en' ? 'ltr' : 'rtl';
  const [heading, ...rest] = textOf(language, PAGE_TEXT[outcome], {}).split('\n');
  return `<!doctype html>
<html lang="${language}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Findo</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1.25rem;text-align:center;background:#f6f7f9;color:#1d2430}main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem 1.5rem;box-shadow:0 1px 4px #0002}h1{font-size:1.5rem;margin:0 0 .75rem}p{font-size:1.05rem;line-height:1.5;margin:0}</style>
</head>
<body><main><h1>${escapeHtml(heading ?? '')}</h1>${rest.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</main></body>
</html>
`;
}

export function createOAuthRouter(services: Services): express.Router {
  const router = express.Router();
  router.get(GOOGLE_CALLBACK_PATH, async (req, res, next) => {
    try {
      const one = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
      const { outcome, language } = await finishGoogleConnect(services, { state: one('state'), code: one('code'), error: one('error') });
      res
        .status(SUCCEEDED.has(outcome) ? 200 : 400)
        .set({
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        })
        .type('html')
        .send(connectPage(language, outcome));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
