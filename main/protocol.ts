// concordat://app/ serves the built renderer folder. A standard, secure scheme so the page has a real
// origin (not file://, whose privileges the fuses switch off), with the CSP on every response.
import type { CustomScheme } from 'electron';
import { APP_SCHEME, isAppUrl } from '../src/shell/app-url.js';
import { SECURITY_HEADERS } from '../src/shell/csp.js';
import { readStaticFile } from '../src/shell/static-files.js';

export const APP_SCHEME_DEFINITION: CustomScheme = {
  scheme: APP_SCHEME,
  // bypassCSP stays false: the CSP header must apply to these pages.
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    corsEnabled: false,
    stream: false,
  },
};

export function appProtocolHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };
    if (!isAppUrl(request.url)) return new Response('Not found', { status: 404, headers });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers });
    const file = await readStaticFile(rendererRoot, new URL(request.url).pathname);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: file.status,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  };
}
