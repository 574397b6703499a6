/**
 * Test-only: a small made-up chain behind {@link FakeNode} handlers (eth_blockNumber, eth_getBlockByNumber,
 * eth_getTransactionByHash, eth_getTransactionReceipt, trace_filter, debug_traceTransaction, trace_transaction,
 * eth_getLogs, eth_call), built from transactions, internal frames and logs a test declares.
 */
import { getAddress } from 'ethers';
import { ERC20_TRANSFER_TOPIC } from '../../decode/logs';
import type { CallFrame } from '../../decode/wire';
import { hex, RpcFail, type RpcHandler } from './fake-node';

export interface FakeTx {
  hash: string;
  block: number;
  index: number;
  from: string;
  to: string | null;
  value: bigint;
  gasUsed: bigint;
  price: bigint;
  status?: 0 | 1;
  created?: string;
  /** Internal frames below the root (callTracer form). */
  calls?: CallFrame[];
}

export interface FakeLog {
  tx: string;
  block: number;
  txIndex: number;
  logIndex: number;
  token: string;
  topics: string[];
  data: string;
}

export interface FakeChainSpec {
  head: number;
  /** Timestamp of block n. */
  time: (n: number) => number;
  txs: FakeTx[];
  logs?: FakeLog[];
  /** eth_call answers by `to:data` (lowercase to); a function may throw RpcFail. Default: revert. */
  calls?: Record<string, string | (() => string)>;
  /** Refuse an eth_getLogs range (throw RpcFail) when this says so. */
  refuseLogs?: (from: number, to: number) => RpcFail | undefined;
}

export const txHash = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
export const topicOf = (a: string): string => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`;
export const word = (v: bigint): string => `0x${v.toString(16).padStart(64, '0')}`;

export function erc20Log(
  tx: FakeTx,
  logIndex: number,
  token: string,
  from: string,
  to: string,
  amount: bigint,
): FakeLog {
  return {
    tx: tx.hash,
    block: tx.block,
    txIndex: tx.index,
    logIndex,
    token,
    topics: [ERC20_TRANSFER_TOPIC, topicOf(from), topicOf(to)],
    data: word(amount),
  };
}

/** Parity form of a callTracer tree (traceAddress = child indexes; errors marked on the frame only). */
function parityTraces(tx: FakeTx): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const reverted = tx.status === 0;
  const root = {
    type: tx.to ? 'call' : 'create',
    action: tx.to
      ? { callType: 'call', from: tx.from, to: tx.to, value: hex(tx.value) }
      : { from: tx.from, value: hex(tx.value), init: '0x' },
    result: tx.to ? { gasUsed: '0x0', output: '0x' } : { address: tx.created },
    ...(reverted ? { error: 'Reverted' } : {}),
    traceAddress: [],
    transactionHash: tx.hash,
    transactionPosition: tx.index,
    blockNumber: tx.block,
    subtraces: tx.calls?.length ?? 0,
  };
  out.push(root);
  const walk = (frames: CallFrame[], path: number[]) => {
    frames.forEach((f, i) => {
      const p = [...path, i];
      const t = f.type.toUpperCase();
      const base = { traceAddress: p, transactionHash: tx.hash, transactionPosition: tx.index, blockNumber: tx.block };
      if (t === 'SELFDESTRUCT') {
        out.push({
          ...base,
          type: 'suicide',
          action: { address: f.from, refundAddress: f.to, balance: f.value },
          result: null,
        });
      } else if (t === 'CREATE' || t === 'CREATE2') {
        out.push({
          ...base,
          type: 'create',
          action: { from: f.from, value: f.value, init: '0x' },
          result: { address: f.to },
          ...(f.error ? { error: f.error } : {}),
        });
      } else {
        out.push({
          ...base,
          type: 'call',
          action: { callType: t.toLowerCase(), from: f.from, to: f.to, value: f.value ?? '0x0' },
          result: { gasUsed: '0x0', output: '0x' },
          ...(f.error ? { error: f.error } : {}),
        });
      }
      walk(f.calls ?? [], p);
    });
  };
  walk(tx.calls ?? [], []);
  return out;
}

function touches(trace: Record<string, unknown>, key: 'from' | 'to', addresses: string[]): boolean {
  const a = trace.action as Record<string, string | undefined>;
  const r = trace.result as Record<string, string | undefined> | null;
  const value =
    key === 'from'
      ? (a.from ?? a.address)
      : (a.to ?? a.refundAddress ?? (trace.type === 'create' ? r?.address : undefined));
  return value !== undefined && addresses.some((x) => x.toLowerCase() === value.toLowerCase());
}

export function fakeChain(spec: FakeChainSpec): Record<string, RpcHandler> {
  const byHash = new Map(spec.txs.map((t) => [t.hash, t]));
  const allTraces = () =>
    [...spec.txs].sort((a, b) => a.block - b.block || a.index - b.index).flatMap((t) => parityTraces(t));
  const need = (hash: unknown) => {
    const t = byHash.get(String(hash));
    if (t === undefined) throw new RpcFail(-32000, 'transaction not found');
    return t;
  };
  const rootFrame = (t: FakeTx): CallFrame => ({
    type: t.to ? 'CALL' : 'CREATE',
    from: t.from,
    to: t.to ?? t.created,
    value: hex(t.value),
    ...(t.status === 0 ? { error: 'execution reverted' } : {}),
    ...(t.calls ? { calls: t.calls } : {}),
  });
  return {
    eth_blockNumber: () => hex(spec.head),
    eth_getBlockByNumber: ([n]) => {
      const b = Number(BigInt(String(n)));
      if (b > spec.head) return null;
      return { number: hex(b), hash: `0x${(b + 1).toString(16).padStart(64, 'b')}`, timestamp: hex(spec.time(b)) };
    },
    eth_getTransactionByHash: ([h]) => {
      const t = byHash.get(String(h));
      if (t === undefined) return null;
      return {
        hash: t.hash,
        from: t.from.toLowerCase(),
        to: t.to?.toLowerCase() ?? null,
        value: hex(t.value),
        blockNumber: hex(t.block),
        transactionIndex: hex(t.index),
        gasPrice: hex(t.price),
      };
    },
    eth_getTransactionReceipt: ([h]) => {
      const t = byHash.get(String(h));
      if (t === undefined) return null;
      return {
        transactionHash: t.hash,
        transactionIndex: hex(t.index),
        blockNumber: hex(t.block),
        from: t.from.toLowerCase(),
        to: t.to?.toLowerCase() ?? null,
        contractAddress: t.created?.toLowerCase() ?? null,
        gasUsed: hex(t.gasUsed),
        effectiveGasPrice: hex(t.price),
        status: t.status === 0 ? '0x0' : '0x1',
        logs: [],
      };
    },
    trace_filter: ([f]) => {
      const filter = f as {
        fromBlock: string;
        toBlock: string;
        fromAddress?: string[];
        toAddress?: string[];
        after?: number;
        count?: number;
      };
      const from = Number(BigInt(filter.fromBlock));
      const to = Number(BigInt(filter.toBlock));
      const matched = allTraces().filter(
        (t) =>
          (t.blockNumber as number) >= from &&
          (t.blockNumber as number) <= to &&
          (filter.fromAddress ? touches(t, 'from', filter.fromAddress) : true) &&
          (filter.toAddress ? touches(t, 'to', filter.toAddress) : true),
      );
      const after = filter.after ?? 0;
      return matched.slice(after, filter.count === undefined ? undefined : after + filter.count);
    },
    trace_transaction: ([h]) => (byHash.has(String(h)) ? parityTraces(need(h)) : null),
    debug_traceTransaction: ([h]) => rootFrame(need(h)),
    eth_getLogs: ([f]) => {
      const filter = f as { fromBlock: string; toBlock: string; topics: (string | null)[] };
      const from = Number(BigInt(filter.fromBlock));
      const to = Number(BigInt(filter.toBlock));
      const refusal = spec.refuseLogs?.(from, to);
      if (refusal) throw refusal;
      return (spec.logs ?? [])
        .filter(
          (l) =>
            l.block >= from &&
            l.block <= to &&
            filter.topics.every((t, i) => t === null || l.topics[i]?.toLowerCase() === t.toLowerCase()),
        )
        .map((l) => ({
          address: l.token.toLowerCase(),
          topics: l.topics,
          data: l.data,
          blockNumber: hex(l.block),
          transactionHash: l.tx,
          transactionIndex: hex(l.txIndex),
          logIndex: hex(l.logIndex),
          removed: false,
        }));
    },
    eth_call: ([c]) => {
      const call = c as { to: string; data: string };
      const answer = spec.calls?.[`${getAddress(call.to).toLowerCase()}:${call.data}`];
      if (answer === undefined) throw new RpcFail(3, 'execution reverted');
      return typeof answer === 'function' ? answer() : answer;
    },
  };
}
