/**
 * Runs a throwaway anvil (from the npm package `@foundry-rs/anvil-linux-amd64`) on a free loopback port, for the
 * scenario script and the live tests. Also a minimal JSON-RPC client for *playing* the scenario (sending
 * transactions, mining); tracing never uses it — that goes through JsonRpcSource and a core Transport.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePortForTest, nodeRpc } from '@fundflow/core/node';

export interface Anvil {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** e.g. `anvil 1.7.1 (4072e48)`. */
  version: string;
  chainId: number;
  /** Calls an RPC method; throws with the node's message on an RPC error. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Stops the node (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Path of the anvil binary inside the npm package, or undefined when the package is not installed. */
export function anvilBinary(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
    const bin = join(dirname(pkg), 'bin', 'anvil');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** True when the anvil binary is installed and runs on this machine. */
export function hasAnvil(): boolean {
  const bin = anvilBinary();
  return bin !== undefined && spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface AnvilOptions {
  port?: number;
  chainId?: number;
  /** Seconds since epoch of the first block (so scenario times are fixed). */
  timestamp?: number;
  /** Automine every transaction (default) or mine only on `evm_mine`. */
  noMining?: boolean;
  extraArgs?: string[];
  timeoutMs?: number;
}

/** Starts anvil and waits until its RPC answers. */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const bin = anvilBinary();
  if (!bin) throw new Error('anvil is not installed: pnpm install adds @foundry-rs/anvil-linux-amd64');
  const port = options.port ?? (await freePortForTest());
  const chainId = options.chainId ?? 31337;
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--steps-tracing',
    '--silent',
    ...(options.timestamp !== undefined ? ['--timestamp', String(options.timestamp)] : []),
    ...(options.noMining ? ['--no-mining'] : []),
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const rpc = <T>(method: string, params: unknown[] = []): Promise<T> =>
    nodeRpc<T>(endpoint, method, params, { who: 'anvil' });
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };

  const versionLine = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.split('\n');
  const semver = versionLine[0]?.replace(/^anvil Version:\s*/, '').trim() ?? 'unknown';
  const sha =
    versionLine[1]
      ?.replace(/^Commit SHA:\s*/, '')
      .trim()
      .slice(0, 7) ?? '';
  const version = `anvil ${semver}${sha ? ` (${sha})` : ''}`;

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`anvil exited during start-up: ${stderr.slice(0, 500)}`);
    try {
      await rpc<string>('eth_chainId');
      return { endpoint, port, version, chainId, rpc, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`anvil did not answer on ${endpoint} within ${options.timeoutMs ?? 30_000} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
