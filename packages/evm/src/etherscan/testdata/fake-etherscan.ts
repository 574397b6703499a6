import {
  type FundflowError,
  sha256Hex,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '@fundflow/core';

/** Rows as Etherscan serves them: every value a string. */
export type WireRow = Record<string, string>;

export interface EtherscanLedger {
  chainId: number;
  txlist?: WireRow[];
  txlistinternal?: WireRow[];
  tokentx?: WireRow[];
  /** Blocks with their timestamps, for `getblocknobytime`. */
  blocks?: { number: number; timestamp: number }[];
}

/** A canned answer the fake gives instead of looking at the ledger (NOTOK strings, HTML, …). */
export interface Scripted {
  status?: number;
  body: string;
  contentType?: string;
}

/**
 * Test-only Transport answering like Etherscan API v2 (`/v2/api`) from hand-written rows, in the documented wire
 * format: `module=account` txlist/txlistinternal/tokentx with address, startblock, endblock, page, offset, sort=asc
 * (rows touching the address, ascending by block, stable inside a block; page × offset ≤ 10000, offset ≤ 1000);
 * `{"status":"0","message":"No transactions found","result":[]}` when empty; `module=block&action=getblocknobytime`.
 * A `script` queue answers the next requests first (rate-limit strings, bad keys, HTML). Not exported from the package.
 */
export class FakeEtherscan implements Transport {
  readonly requests: TransportRequest[] = [];
  readonly script: Scripted[] = [];
  constructor(readonly ledger: EtherscanLedger) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const scripted = this.script.shift();
    if (scripted !== undefined) return respond(scripted.status ?? 200, scripted.body, scripted.contentType);
    const url = new URL(request.url);
    const q = url.searchParams;
    if (q.get('chainid') !== String(this.ledger.chainId)) {
      return json({
        status: '0',
        message: 'NOTOK',
        result:
          'Missing or unsupported chainid parameter (required for v2 api), please see https://api.etherscan.io/v2/chainlist for the list of supported chainids',
      });
    }
    if (q.get('module') === 'block' && q.get('action') === 'getblocknobytime') {
      const ts = Number(q.get('timestamp'));
      const blocks = [...(this.ledger.blocks ?? [])].sort((a, b) => a.number - b.number);
      const hit =
        q.get('closest') === 'after'
          ? blocks.find((b) => b.timestamp >= ts)
          : [...blocks].reverse().find((b) => b.timestamp <= ts);
      if (hit === undefined) return json({ status: '0', message: 'NOTOK', result: 'Error! No closest block found' });
      return json({ status: '1', message: 'OK', result: String(hit.number) });
    }
    const action = q.get('action');
    if (q.get('module') !== 'account' || (action !== 'txlist' && action !== 'txlistinternal' && action !== 'tokentx')) {
      return json({ status: '0', message: 'NOTOK', result: 'Error! Missing Or invalid Module name' });
    }
    const address = (q.get('address') ?? '').toLowerCase();
    const start = Number(q.get('startblock') ?? 0);
    const end = Number(q.get('endblock') ?? 99_999_999_999);
    const page = Number(q.get('page') ?? 1);
    const offset = Number(q.get('offset') ?? 10_000);
    if (offset > 1000 || page * offset > 10_000) {
      return json({
        status: '0',
        message: 'NOTOK',
        result: 'Result window is too large, PageNo x Offset size must be less than or equal to 10000',
      });
    }
    if (q.get('sort') !== 'asc') throw new Error('the fake only serves sort=asc');
    const rows = (this.ledger[action] ?? [])
      .map((row, i) => ({ row, i }))
      .filter(({ row }) =>
        [row.from, row.to, row.contractAddress].some((a) => a !== undefined && a !== '' && a.toLowerCase() === address),
      )
      .filter(({ row }) => Number(row.blockNumber) >= start && Number(row.blockNumber) <= end)
      .sort((a, b) => Number(a.row.blockNumber) - Number(b.row.blockNumber) || a.i - b.i)
      .slice((page - 1) * offset, page * offset)
      .map(({ row }) => row);
    if (rows.length === 0) return json({ status: '0', message: 'No transactions found', result: [] });
    return json({ status: '1', message: 'OK', result: rows });
  }

  stats() {
    return { sent: this.requests.length, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  }

  /** The query parameters of every request, without the key. */
  get queries(): Record<string, string>[] {
    return this.requests.map((r) => {
      const q = Object.fromEntries(new URL(r.url).searchParams);
      delete q.apikey;
      return q;
    });
  }
}

export function notok(result: string, message = 'NOTOK'): Scripted {
  return { body: JSON.stringify({ status: '0', message, result }) };
}

function json(value: unknown): TransportResponse {
  return respond(200, JSON.stringify(value), 'application/json');
}

function respond(status: number, body: string, contentType = 'application/json'): TransportResponse {
  const res: TransportResponse = { status, headers: { 'content-type': contentType }, body, sha256: sha256Hex(body) };
  if (status >= 200 && status < 300) {
    try {
      res.json = JSON.parse(body);
    } catch {
      // Left unset: the source must notice a 2xx body that is not JSON.
    }
  }
  return res;
}

/** A transport that always throws `error` (for checking that sources scrub what transports say). */
export function throwing(error: FundflowError): Transport {
  return {
    request: async () => {
      throw error;
    },
    stats: () => ({ sent: 0, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 }),
  };
}
