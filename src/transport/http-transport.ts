// The dispatcher over HTTP, for `npm run preview` and the browser e2e tests only: never imported by
// main/ and excluded from the packaged app. Bound to 127.0.0.1 on a random port; every call carries a
// random 256-bit token, and requests with a foreign Host or Origin (DNS rebinding, other web pages)
// or from off the machine are refused before the token is even compared.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ConcordatError, internalError, type ErrorShape } from '../contract/errors.js';
import { dispatch } from '../dispatch/dispatcher.js';
import { laneMeta } from '../dispatch/supersede.js';
import type { Host } from '../host/host.js';
import { recordIncident } from '../host/incident-log.js';
import { SECURITY_HEADERS } from '../shell/csp.js';
import { readStaticFile } from '../shell/static-files.js';
import { subscribeAppEvents } from '../shell/app-events.js';

export const TOKEN_HEADER = 'x-concordat-token';
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface HttpTransportOptions {
  host: Host;
  /** A built renderer folder to serve at /, for the preview. Omit to serve only the API. */
  staticRoot?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  maxBodyBytes?: number;
}

export interface HttpTransport {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** 64 hex characters; sent by the client in the X-Concordat-Token header. */
  token: string;
  /** The address to open in a browser: the token rides in the fragment, which is never sent to a server. */
  pageUrl: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class TransportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: ErrorShape,
  ) {
    super(error.message);
  }
}

const refuse = (status: number, code: ErrorShape['code'], message: string, field?: string) =>
  new TransportRefusal(status, new ConcordatError(code, message, field === undefined ? {} : { field }).toJSON());

function send(res: ServerResponse, status: number, contentType: string, body: Buffer | string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

function tokenMatches(given: string | string[] | undefined, token: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const buf = Buffer.from(given, 'utf8');
  return buf.length === token.length && timingSafeEqual(buf, token);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw refuse(413, 'VALIDATION', `The request body is larger than ${limit} bytes.`, 'body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw refuse(413, 'VALIDATION', `The request body is larger than ${limit} bytes.`, 'body');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseInvoke(body: Buffer): { operation: string; input: unknown; lane: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw refuse(400, 'VALIDATION', 'The request body is not JSON.', 'body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw refuse(400, 'VALIDATION', 'The request body must be an object {operation, input}.', 'body');
  const { operation, input, lane } = parsed as { operation?: unknown; input?: unknown; lane?: unknown };
  if (typeof operation !== 'string') throw refuse(400, 'VALIDATION', 'operation: must be the name of an operation.', 'operation');
  return { operation, input, lane };
}

export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  const { host, staticRoot, maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const tokenHex = randomBytes(32).toString('hex');
  const token = Buffer.from(tokenHex, 'utf8');
  const streams = new Set<ServerResponse>();
  let port = 0;

  const checkCaller = (req: IncomingMessage) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw refuse(403, 'SENDER_REFUSED', 'Only this computer may call Concordat.');
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) throw refuse(403, 'SENDER_REFUSED', 'The Host header is not this server.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))
      throw refuse(403, 'SENDER_REFUSED', 'Requests from other web pages are refused.');
  };
  const checkToken = (req: IncomingMessage) => {
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) throw refuse(401, 'SENDER_REFUSED', 'The access token is missing or wrong.');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    checkCaller(req);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/invoke') {
      if (req.method !== 'POST') throw refuse(405, 'VALIDATION', 'Use POST for /invoke.');
      checkToken(req);
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
        throw refuse(415, 'VALIDATION', 'Send the call as application/json.', 'body');
      const { operation, input, lane } = parseInvoke(await readBody(req, maxBodyBytes));
      // One token serves one preview page (the renderer adds its own page id to the lane).
      sendJson(res, 200, await dispatch(host, operation, input, laneMeta('http', lane)));
      return;
    }
    if (url.pathname === '/events') {
      if (req.method !== 'GET') throw refuse(405, 'VALIDATION', 'Use GET for /events.');
      checkToken(req);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      const unsubscribe = subscribeAppEvents(host, (event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      res.on('close', () => {
        unsubscribe();
        streams.delete(res);
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw refuse(405, 'VALIDATION', 'Only GET and HEAD are served here.');
    if (!staticRoot) throw refuse(404, 'NOT_FOUND', 'Nothing is served here.');
    const file = await readStaticFile(staticRoot, url.pathname);
    if (req.method === 'HEAD') {
      res.writeHead(file.status, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
      res.end();
    } else send(res, file.status, file.contentType, file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof TransportRefusal) return sendJson(res, err.status, { ok: false, error: err.error });
      sendJson(res, 500, { ok: false, error: internalError(recordIncident(host.dataDir, 'http-transport', err)) });
    });
  });
  // A slow or stalled client must not hold the server open.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    token: tokenHex,
    pageUrl: `${origin}/#token=${tokenHex}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
