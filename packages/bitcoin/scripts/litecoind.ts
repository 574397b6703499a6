/**
 * Runs a throwaway `litecoind -regtest` for the scenario script and the live tests: its own temporary datadir, free
 * RPC and P2P ports on 127.0.0.1, a random RPC password, `-txindex=1`. Also a minimal JSON-RPC client for *playing*
 * the scenario (wallet calls); tracing never uses it — that goes through CoreRpcSource and a core Transport.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortForTest, nodeRpc } from '@fundflow/core/node';

export interface Litecoind {
  /** `http://127.0.0.1:<rpcport>`, without credentials. */
  endpoint: string;
  rpcPort: number;
  user: string;
  password: string;
  datadir: string;
  version: string;
  /** Calls an RPC (on `/wallet/<wallet>` when given); throws with the node's message on an RPC error. */
  rpc<T = unknown>(method: string, params?: unknown[], wallet?: string): Promise<T>;
  /** Stops the node (RPC `stop`, then SIGKILL of this process after 20 s) and removes the datadir. */
  stop(): Promise<void>;
}

/** True when a `litecoind` binary is on PATH. */
export function hasLitecoind(binary = 'litecoind'): boolean {
  return spawnSync(binary, ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Starts litecoind -regtest and waits until its RPC answers (at most `timeoutMs`). */
export async function startLitecoind(
  options: { binary?: string; rpcPort?: number; timeoutMs?: number; extraArgs?: string[] } = {},
): Promise<Litecoind> {
  const binary = options.binary ?? 'litecoind';
  const datadir = mkdtempSync(join(tmpdir(), 'fundflow-ltc-'));
  const rpcPort = options.rpcPort ?? (await freePortForTest());
  const p2pPort = await freePortForTest();
  const user = 'fundflow';
  const password = randomBytes(24).toString('hex');
  const args = [
    '-regtest',
    `-datadir=${datadir}`,
    '-server=1',
    '-txindex=1',
    '-fallbackfee=0.0002',
    `-rpcport=${rpcPort}`,
    '-rpcbind=127.0.0.1',
    '-rpcallowip=127.0.0.1',
    `-rpcuser=${user}`,
    `-rpcpassword=${password}`,
    `-port=${p2pPort}`,
    `-bind=127.0.0.1:${p2pPort}`,
    '-listen=1',
    '-discover=0',
    '-dnsseed=0',
    '-listenonion=0',
    '-upnp=0',
    '-printtoconsole=0',
    '-rpcworkqueue=64',
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${rpcPort}`;
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const rpc = <T>(method: string, params: unknown[] = [], wallet?: string): Promise<T> =>
    nodeRpc<T>(
      wallet === undefined ? `${endpoint}/` : `${endpoint}/wallet/${encodeURIComponent(wallet)}`,
      method,
      params,
      {
        who: 'litecoind',
        headers: { authorization },
        jsonrpc: '1.0',
      },
    );

  const stop = async () => {
    if (!exited) {
      await rpc('stop').catch(() => undefined);
      const gone = await new Promise<boolean>((resolve) => {
        if (exited) return resolve(true);
        const timer = setTimeout(() => resolve(false), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!gone && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(datadir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      rmSync(datadir, { recursive: true, force: true });
      throw new Error(`litecoind exited during start-up: ${stderr.slice(0, 500)}`);
    }
    try {
      const info = await rpc<{ subversion: string }>('getnetworkinfo');
      return { endpoint, rpcPort, user, password, datadir, version: info.subversion, rpc, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`litecoind did not answer on ${endpoint} within ${options.timeoutMs ?? 60_000} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
