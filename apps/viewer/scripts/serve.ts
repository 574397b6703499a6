import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectOrigin, viewerCsp } from '../src/csp';

/** apps/viewer */
export const VIEWER_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built viewer (apps/viewer/dist). */
export const VIEWER_DIST = join(VIEWER_ROOT, 'dist');
const FIXTURES = resolve(VIEWER_ROOT, '../../fixtures');

/**
 * The policy sent as a header (index.html's meta tag plus `frame-ancestors`, which a meta tag cannot carry):
 * connect-src is the viewer's own origin and the public API origins live expansion prefills (src/csp.ts).
 */
export const CSP = viewerCsp({ header: true });

/**
 * `--connect` origins, normalised; throws with a message naming the first that is not a plain http(s) origin.
 * @example connectOrigins(['http://127.0.0.1:3002', 'https://esplora.example.org/']) // both, without the slash
 */
export function connectOrigins(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => {
      const origin = connectOrigin(v);
      if (origin === undefined) {
        throw new Error(`--connect wants http(s) origins such as http://127.0.0.1:3002 (no path), got "${v}"`);
      }
      return origin;
    });
}

/**
 * The page's meta CSP replaced by `policy` (minus frame-ancestors): a meta tag and a header both apply, so the meta
 * tag must allow every origin the header adds with `--connect`.
 */
export function withMetaCsp(html: string, policy: string): string {
  const meta = policy.replace(/;\s*frame-ancestors [^;]*/, '');
  return html.replace(
    /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/i,
    (_m, a: string, b: string) => `${a}${meta.replace(/"/g, '&quot;')}${b}`,
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** True when apps/viewer/dist is missing or older than the viewer's sources or the bundled fixtures. */
export function viewerNeedsBuild(): boolean {
  const built = join(VIEWER_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(VIEWER_ROOT, 'src')),
    newestMtime(join(VIEWER_ROOT, 'index.html')),
    newestMtime(join(VIEWER_ROOT, 'vite.config.ts')),
    newestMtime(FIXTURES),
  );
  return statSync(built).mtimeMs < sources;
}

/**
 * Builds the viewer with Vite into apps/viewer/dist (fixture cases included), unless it is up to date.
 * @example await buildViewer({ force: true })
 */
export async function buildViewer(options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && !viewerNeedsBuild()) return false;
  const { build } = await import('vite');
  await build({ root: VIEWER_ROOT, configFile: join(VIEWER_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

export interface ServeOptions {
  /** Folder to serve (default apps/viewer/dist). */
  root?: string;
  /** First port to try; the next free one is taken when it is busy (0 = any free port). Default 4173. */
  port?: number;
  /** A trace file to serve as /trace.json (open it with `?trace=/trace.json`). */
  trace?: string;
  /**
   * Origins live expansion may connect to beyond the built-in public APIs (a local Esplora, a private node), added
   * to connect-src in the header and in index.html's meta tag: `['http://127.0.0.1:3002']`.
   */
  connect?: readonly string[];
}

export interface ViewerServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves the built viewer on 127.0.0.1 (static files only, offline), with the CSP as a header.
 * @example const { url, close } = await startViewerServer({ trace: 'my.trace.json' }) // open `${url}?trace=/trace.json`
 */
export async function startViewerServer(options: ServeOptions = {}): Promise<ViewerServer> {
  const root = resolve(options.root ?? VIEWER_DIST);
  const trace = options.trace !== undefined ? resolve(options.trace) : undefined;
  const csp = viewerCsp({ header: true, connect: connectOrigins(options.connect ?? []) });
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, {
        'content-type': type,
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'text/plain', 'bad request');
    }
    if (path === '/trace.json' && trace !== undefined) {
      return existsSync(trace)
        ? send(200, TYPES['.json']!, readFileSync(trace))
        : send(404, 'text/plain', 'trace not found');
    }
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) return send(403, 'text/plain', 'forbidden');
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, 'text/plain', 'not found');
    const ext = extname(file);
    send(
      200,
      TYPES[ext] ?? 'application/octet-stream',
      ext === '.html' ? withMetaCsp(readFileSync(file, 'utf8'), csp) : readFileSync(file),
    );
  });
  const first = options.port ?? 4173;
  for (let port = first, tries = 0; ; port++, tries++) {
    const ok = await new Promise<boolean>((done, fail) => {
      const onError = (e: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (e.code === 'EADDRINUSE' && first !== 0 && tries < 20) done(false);
        else fail(e);
      };
      const onListening = () => {
        server.off('error', onError);
        done(true);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
    if (ok) break;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : first;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

// `tsx apps/viewer/scripts/serve.ts [--build] [--port 4173] [--trace file.json] [--case name] [--connect origin,…]`
// (`pnpm demo`).
if (process.argv[1] !== undefined && /scripts[\\/]serve\.ts$/.test(process.argv[1])) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = value('--port');
  const trace = value('--trace');
  const caseName = value('--case') ?? 'nem-2018-exchange-drain';
  const connect = value('--connect');
  (async () => {
    if (args.includes('--build') || viewerNeedsBuild()) {
      process.stderr.write('building the viewer…\n');
      await buildViewer({ force: args.includes('--build') });
    }
    const s = await startViewerServer({
      ...(port !== undefined ? { port: Number(port) } : {}),
      ...(trace !== undefined ? { trace } : {}),
      ...(connect !== undefined ? { connect: [connect] } : {}),
    });
    const open = trace !== undefined ? '/trace.json' : caseName;
    process.stdout.write(`fundflow viewer: ${s.url}?trace=${open}\n(Ctrl-C to stop)\n`);
  })().catch((e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
