import { FundflowError } from '@fundflow/core';
import { readTraceFile } from '@fundflow/graph/node';
import { buildViewer, startViewerServer, type ViewerServer } from '@fundflow/viewer/serve';

export interface ViewOptions {
  port?: string;
}

export interface ViewResult {
  url: string;
  server: ViewerServer;
}

/**
 * `fundflow view <trace.json>`: checks the trace file, builds the viewer when its build is missing or stale, and
 * serves it on 127.0.0.1 (offline) with the trace as /trace.json; prints the URL that opens it.
 */
export async function viewCommand(file: string, o: ViewOptions): Promise<ViewResult> {
  readTraceFile(file); // fail here, with a message, rather than in the browser
  const port = o.port !== undefined ? Number(o.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new FundflowError('INVALID_ARGUMENT', `--port must be a port number (0-65535), got ${o.port}`);
  }
  if (await buildViewer()) process.stderr.write('built the viewer (apps/viewer/dist)\n');
  const server = await startViewerServer({ trace: file, ...(port !== undefined ? { port } : {}) });
  const url = `${server.url}?trace=/trace.json`;
  process.stdout.write(`fundflow viewer: ${url}\n(Ctrl-C to stop)\n`);
  return { url, server };
}
