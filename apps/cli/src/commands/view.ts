import { FundflowError } from '@fundflow/core';
import { readTraceFile } from '@fundflow/graph/node';
import { buildViewer, connectOrigins, startViewerServer, type ViewerServer } from '@fundflow/viewer/serve';

export interface ViewOptions {
  port?: string;
  /** `--connect`: origins live expansion may read, added to the served CSP's connect-src. */
  connect?: string[];
}

export interface ViewResult {
  url: string;
  server: ViewerServer;
}

/**
 * `fundflow view <trace.json>`: checks the trace file, builds the viewer when its build is missing or stale, and
 * serves it on 127.0.0.1 with the trace as /trace.json; prints the URL that opens it. The page connects to nothing
 * but itself unless the analyst expands live: the public APIs it prefills, and the `--connect` origins.
 */
export async function viewCommand(file: string, o: ViewOptions): Promise<ViewResult> {
  readTraceFile(file); // fail here, with a message, rather than in the browser
  const port = o.port !== undefined ? Number(o.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new FundflowError('INVALID_ARGUMENT', `--port must be a port number (0-65535), got ${o.port}`);
  }
  let connect: string[];
  try {
    connect = connectOrigins(o.connect ?? []);
  } catch (e) {
    throw new FundflowError('INVALID_ARGUMENT', e instanceof Error ? e.message : String(e));
  }
  if (await buildViewer()) process.stderr.write('built the viewer (apps/viewer/dist)\n');
  const server = await startViewerServer({ trace: file, connect, ...(port !== undefined ? { port } : {}) });
  const url = `${server.url}?trace=/trace.json`;
  process.stdout.write(`fundflow viewer: ${url}\n(Ctrl-C to stop)\n`);
  return { url, server };
}
