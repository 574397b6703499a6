import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the test server saw it; `at` is performance.now() when its headers arrived. */
export interface Hit {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Handler = (hit: Hit, n: number, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  hits: Hit[];
  /** Hits whose path starts with `prefix`. */
  hitsTo(prefix: string): Hit[];
  /** Answers for paths starting with `prefix`; `n` counts the hits to that prefix, from 1. */
  route(prefix: string, handler: Handler): void;
  close(): Promise<void>;
}

export const NGINX_429 =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A real HTTP server on 127.0.0.1 (port 0) for transport tests; unknown paths answer 404 JSON. */
export async function startTestServer(): Promise<TestServer> {
  const hits: Hit[] = [];
  const routes: Array<[string, Handler]> = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: Hit = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      hits.push(hit);
      const route = routes.find(([prefix]) => hit.path.startsWith(prefix));
      if (route === undefined) {
        json(res, 404, { error: 'no route' });
        return;
      }
      const n = (counts.get(route[0]) ?? 0) + 1;
      counts.set(route[0], n);
      Promise.resolve(route[1](hit, n, res)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    hitsTo: (prefix) => hits.filter((h) => h.path.startsWith(prefix)),
    route: (prefix, handler) => {
      routes.push([prefix, handler]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `value` as JSON with the given status and extra headers. */
export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json', ...headers });
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, headers);
  res.end(body);
}
