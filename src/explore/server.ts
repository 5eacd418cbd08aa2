/**
 * The explore server: one page on 127.0.0.1, nothing else. It answers GET/HEAD of "/" with the
 * page and 404s the rest; it reads no request body, refuses other hosts (a page elsewhere cannot
 * reach it through DNS rebinding), and bounds connections, header size and time per request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGE_CSP } from './page-html.js';

export const HOST = '127.0.0.1';
/** Tried first when no --port is given, so a bookmarked page keeps working; any free port if taken. */
export const DEFAULT_PORT = 8737;

const LIMITS = { maxHeaderSize: 8 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveMs: 5_000, maxConnections: 32 };

const HEADERS = {
  'Content-Security-Policy': PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean, extra: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...HEADERS, 'Content-Type': type, 'Content-Length': String(bytes.length), ...extra });
  res.end(head ? undefined : bytes);
}

/** The request's Host is this server (127.0.0.1 or localhost, on its port). */
function ownHost(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

export function handler(page: Buffer, port: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false, { Allow: 'GET, HEAD', Connection: 'close' });
      req.destroy();
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > 0 || req.headers['transfer-encoding'] !== undefined) {
      send(res, 413, 'text/plain; charset=utf-8', 'no request body accepted\n', head, { Connection: 'close' });
      req.destroy();
      return;
    }
    if (!ownHost(req, port())) {
      send(res, 421, 'text/plain; charset=utf-8', 'wrong host\n', head);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') send(res, 200, 'text/html; charset=utf-8', page, head);
    else if (path === '/favicon.ico') send(res, 204, 'text/plain', '', head);
    else send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/**
 * Serves the page. `port` undefined: DEFAULT_PORT, or any free port when it is taken; a given
 * port must be free (0 = any).
 */
export async function serveExplore(html: string, port: number | undefined): Promise<{ server: Server; url: string }> {
  let bound = 0;
  const server = createServer({ maxHeaderSize: LIMITS.maxHeaderSize }, handler(Buffer.from(html), () => bound));
  server.headersTimeout = LIMITS.headersTimeoutMs;
  server.requestTimeout = LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = LIMITS.keepAliveMs;
  server.maxConnections = LIMITS.maxConnections;
  try {
    bound = await listen(server, port ?? DEFAULT_PORT);
  } catch (e) {
    if (port !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    bound = await listen(server, 0);
  }
  return { server, url: `http://${HOST}:${bound}/` };
}
