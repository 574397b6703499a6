import { FundflowError, parseWire } from '@fundflow/core';
import { z } from 'zod';
import { type RpcLog, rpcLogSchema } from '../decode/wire';
import { type JsonRpcClient, rpcErrorDetails } from './client';

export interface LogFilter {
  /** Contract address, or undefined for any. */
  address?: string;
  /** Topic filters by position; null = any. */
  topics: (string | null)[];
  fromBlock: number;
  toBlock: number;
}

export interface LogsWithEvidence {
  /** Logs in block/log order. */
  logs: { log: RpcLog; sha256: string }[];
  /** The block ranges actually asked, in order (what the bisection settled on). */
  ranges: [number, number][];
}

export interface GetLogsOptions {
  /** Ranges ending at or below this block are immutable (mined and final): the transport may cache them. */
  finalBlock?: number;
  /** Upper bound on requests for one call (a provider refusing everything must not loop). Default 10000. */
  maxRequests?: number;
}

/**
 * Messages providers use to refuse an eth_getLogs range: too many results (geth/Infura "query returned more than 10000
 * results", Alchemy "Log response size exceeded"), a block range over the cap ("block range too large", "exceed
 * maximum block range: 5000", QuickNode "limited to a 10,000 range"), or a query that timed out.
 */
const RANGE_REFUSED =
  /more than \d+ results|log response size|response size (?:exceeded|should)|block range|range (?:is )?too (?:large|wide|big)|exceeds? (?:the )?max(?:imum)?(?: block)? range|limited to (?:a )?[\d,]+(?: block)? range|range limit|too many (?:logs|results|blocks)|query timeout|timed? ?out|limit exceeded|max(?:imum)? (?:results|logs)/i;
/** A range the provider suggests: Infura "Try with this block range [0x…, 0x…]", Alchemy "should work: [0x…, 0x…]". */
const SUGGESTED = /\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]/;

/** True when an error is a provider refusing an eth_getLogs range as too large. */
export function isRangeRefusal(error: unknown): boolean {
  const d = rpcErrorDetails(error);
  if (d !== undefined) return RANGE_REFUSED.test(d.rpcMessage ?? '') || d.rpcCode === -32005;
  return error instanceof FundflowError && error.code === 'HTTP_ERROR' && error.details.status === 413;
}

/**
 * `eth_getLogs` over [fromBlock, toBlock] with adaptive bisection: when the provider refuses a range, the range is cut
 * where the provider suggests (Infura, Alchemy) or in half, and each part is asked in turn (ascending, so the result
 * is deterministic). Other errors propagate. Throws `BAD_RESPONSE` when even one block is refused.
 * @example await getLogsAdaptive(client, { topics: [ERC20_TRANSFER_TOPIC, addressToTopic(a)], fromBlock: 0, toBlock: head })
 */
export async function getLogsAdaptive(
  client: JsonRpcClient,
  filter: LogFilter,
  options: GetLogsOptions = {},
): Promise<LogsWithEvidence> {
  const out: LogsWithEvidence = { logs: [], ranges: [] };
  const maxRequests = options.maxRequests ?? 10_000;
  let requests = 0;
  const ask = async (from: number, to: number): Promise<void> => {
    if (++requests > maxRequests) {
      throw new FundflowError(
        'BAD_RESPONSE',
        `eth_getLogs at ${client.endpoint}: gave up after ${maxRequests} requests`,
        {
          details: { endpoint: client.endpoint, fromBlock: filter.fromBlock, toBlock: filter.toBlock },
        },
      );
    }
    const params = {
      ...(filter.address !== undefined ? { address: filter.address } : {}),
      topics: filter.topics,
      fromBlock: hex(from),
      toBlock: hex(to),
    };
    let answer: { result: unknown; sha256: string };
    try {
      answer = await client.call('eth_getLogs', [params], {
        immutable: options.finalBlock !== undefined && to <= options.finalBlock,
      });
    } catch (error) {
      if (!isRangeRefusal(error)) throw error;
      if (from >= to) {
        throw new FundflowError(
          'BAD_RESPONSE',
          `eth_getLogs at ${client.endpoint} refused even the single block ${from}: ${(error as Error).message}`,
          { details: { endpoint: client.endpoint, block: from }, cause: error },
        );
      }
      const cut = suggestedCut(error, from, to) ?? from + Math.floor((to - from) / 2);
      await ask(from, cut);
      await ask(cut + 1, to);
      return;
    }
    const logs = parseWire(z.array(rpcLogSchema), answer.result, `${safeOrigin(client.endpoint)}/eth_getLogs`);
    for (const log of logs) out.logs.push({ log, sha256: answer.sha256 });
    out.ranges.push([from, to]);
  };
  if (filter.fromBlock <= filter.toBlock) await ask(filter.fromBlock, filter.toBlock);
  return out;
}

function suggestedCut(error: unknown, from: number, to: number): number | undefined {
  const m = SUGGESTED.exec(rpcErrorDetails(error)?.rpcMessage ?? '');
  if (m === null) return undefined;
  const start = Number.parseInt(m[1]!, 16);
  const end = Number.parseInt(m[2]!, 16);
  // Use the suggestion only when it starts where we asked and ends strictly inside the range.
  return start === from && end >= from && end < to ? end : undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** A URL base for parseWire's messages (it needs an absolute URL). */
export function safeOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'http://jsonrpc.invalid';
  }
}
