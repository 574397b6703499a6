import { getAddress } from 'ethers';
import { type CallFrame, hexToBigInt, type OtsInternalOp, type ParityTrace } from './wire';

/**
 * One internal value movement inside a transaction: a call-tree frame below the root that moved native value.
 * `path` is the frame's position in the call tree (child indexes from the root, as Parity's `traceAddress`);
 * `order` counts the movements of the transaction in call order (depth-first), from 0.
 */
export interface InternalMove {
  path: number[];
  order: number;
  kind: 'call' | 'create' | 'create2' | 'selfdestruct';
  from: string;
  to: string;
  amount: bigint;
}

/**
 * The internal movements of one transaction from a geth `callTracer` tree (`debug_traceTransaction(hash,
 * {tracer:'callTracer'})`, or one entry's `result` of `debug_traceBlockByNumber`).
 * Rules: the root frame is the transaction itself (its value is the native transfer), so it is never returned, and a
 * root with an `error` (reverted transaction) gives nothing. Below it, CALL, CREATE, CREATE2 and SELFDESTRUCT frames
 * with value > 0 move value; a frame with an `error` moved nothing and neither did any frame below it. CALLCODE and
 * DELEGATECALL run code in the caller's own account (geth reports the code address as `to`), STATICCALL carries no
 * value: none of them moves value, but their children may. SELFDESTRUCT frames without from/to/value (geth before
 * 1.11 left them out) cannot be decoded and are skipped.
 * @example decodeCallFrame(await rpc('debug_traceTransaction', [hash, { tracer: 'callTracer' }]))
 */
export function decodeCallFrame(root: CallFrame): InternalMove[] {
  const out: InternalMove[] = [];
  if (root.error !== undefined) return out;
  const walk = (frame: CallFrame, path: number[]) => {
    (frame.calls ?? []).forEach((child, i) => {
      if (child.error !== undefined) return;
      const childPath = [...path, i];
      const kind = frameKind(child.type);
      if (kind !== undefined && child.from !== undefined && child.to !== undefined && child.value !== undefined) {
        const amount = hexToBigInt(child.value);
        if (amount > 0n) {
          out.push({
            path: childPath,
            order: out.length,
            kind,
            from: getAddress(child.from),
            to: getAddress(child.to),
            amount,
          });
        }
      }
      walk(child, childPath);
    });
  };
  walk(root, []);
  return out;
}

function frameKind(type: string): InternalMove['kind'] | undefined {
  switch (type.toUpperCase()) {
    case 'CALL':
      return 'call';
    case 'CREATE':
      return 'create';
    case 'CREATE2':
      return 'create2';
    case 'SELFDESTRUCT':
    case 'SUICIDE':
      return 'selfdestruct';
    default:
      return undefined;
  }
}

/**
 * The internal movements of one transaction from its Parity-style traces (`trace_transaction`, or the entries of one
 * transaction in `trace_block` / `trace_replayBlockTransactions`). Same rules as {@link decodeCallFrame}: the root
 * (`traceAddress: []`) is the transaction itself; a root with an `error` gives nothing; a frame with an `error` and
 * every frame under it moved nothing; `call` frames count only with `callType: call` (not callcode/delegatecall/
 * staticcall); `create` moves value to `result.address`; `suicide`/`selfdestruct` moves `balance` from `address` to
 * `refundAddress`; `reward` entries (no transaction) are ignored.
 * @example decodeParityTraces(await rpc('trace_transaction', [hash]))
 */
export function decodeParityTraces(traces: readonly ParityTrace[]): InternalMove[] {
  const frames = traces.filter((t) => t.type !== 'reward').sort((a, b) => comparePaths(a.traceAddress, b.traceAddress));
  const failed: number[][] = [];
  const out: InternalMove[] = [];
  for (const t of frames) {
    const path = t.traceAddress;
    if (t.error !== undefined) failed.push(path);
    if (failed.some((f) => isPrefix(f, path))) {
      if (path.length === 0) return [];
      continue;
    }
    if (path.length === 0) continue;
    const move = parityMove(t);
    if (move !== undefined && move.amount > 0n) out.push({ path: [...path], order: out.length, ...move });
  }
  return out;
}

function parityMove(t: ParityTrace): Omit<InternalMove, 'path' | 'order'> | undefined {
  const a = t.action;
  switch (t.type) {
    case 'call':
      if ((a.callType ?? 'call') !== 'call' || a.from === undefined || !a.to || a.value === undefined) return undefined;
      return { kind: 'call', from: getAddress(a.from), to: getAddress(a.to), amount: hexToBigInt(a.value) };
    case 'create': {
      const created = t.result?.address;
      if (a.from === undefined || created === undefined || a.value === undefined) return undefined;
      // Parity reports CREATE2 as type `create` with `creationMethod: create2` on newer nodes.
      const method = (a as { creationMethod?: string }).creationMethod === 'create2' ? 'create2' : 'create';
      return { kind: method, from: getAddress(a.from), to: getAddress(created), amount: hexToBigInt(a.value) };
    }
    case 'suicide':
    case 'selfdestruct':
      if (a.address === undefined || a.refundAddress === undefined || a.balance === undefined) return undefined;
      return {
        kind: 'selfdestruct',
        from: getAddress(a.address),
        to: getAddress(a.refundAddress),
        amount: hexToBigInt(a.balance),
      };
    default:
      return undefined;
  }
}

/** Parity traces of a block grouped by transaction hash (lowercase), each group in trace order; rewards dropped. */
export function groupParityTraces(traces: readonly ParityTrace[]): Map<string, ParityTrace[]> {
  const out = new Map<string, ParityTrace[]>();
  for (const t of traces) {
    if (!t.transactionHash) continue;
    const key = t.transactionHash.toLowerCase();
    let list = out.get(key);
    if (list === undefined) {
      list = [];
      out.set(key, list);
    }
    list.push(t);
  }
  return out;
}

/**
 * The internal movements from `ots_getInternalOperations` (Otterscan API). It lists value movements flat, without
 * call-tree positions, so `path` is `[index]` of the movement in that list, which is not a call-tree path: prefer
 * a call tracer where the node has one. Some nodes (anvil) also list the transaction's own value first; `root`
 * (the transaction's from, to and value) drops that entry.
 */
export function decodeOtsInternalOps(
  ops: readonly OtsInternalOp[],
  root?: { from: string; to: string | null | undefined; value: bigint },
): InternalMove[] {
  let list = ops;
  const first = ops[0];
  if (
    first !== undefined &&
    root !== undefined &&
    first.type === 0 &&
    root.to != null &&
    first.from.toLowerCase() === root.from.toLowerCase() &&
    first.to.toLowerCase() === root.to.toLowerCase() &&
    hexToBigInt(first.value) === root.value
  ) {
    list = ops.slice(1);
  }
  const kinds: Record<number, InternalMove['kind']> = { 0: 'call', 1: 'selfdestruct', 2: 'create', 3: 'create2' };
  const out: InternalMove[] = [];
  list.forEach((op, i) => {
    const amount = hexToBigInt(op.value);
    const kind = kinds[op.type];
    if (kind === undefined || amount === 0n) return;
    out.push({ path: [i], order: out.length, kind, from: getAddress(op.from), to: getAddress(op.to), amount });
  });
  return out;
}

function isPrefix(prefix: readonly number[], path: readonly number[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((v, i) => path[i] === v);
}

function comparePaths(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}
