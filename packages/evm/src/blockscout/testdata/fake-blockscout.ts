import { sha256Hex, type Transport, type TransportRequest, type TransportResponse } from '@fundflow/core';

/** Items as a Blockscout instance serves them (JSON objects of the documented v2 shape). */
export type Item = Record<string, unknown>;

export interface BlockscoutLedger {
  transactions?: Item[];
  'internal-transactions'?: Item[];
  'token-transfers'?: Item[];
}

export interface Scripted {
  status?: number;
  body: string;
  contentType?: string;
}

type Endpoint = keyof BlockscoutLedger;
const hashOf = (a: unknown) => ((a as { hash?: string } | null)?.hash ?? '').toLowerCase();

/** Sort key (newest first) and the next_page_params Blockscout derives from the last item of a page. */
const paging: Record<Endpoint, { key: (it: Item) => number[]; params: (it: Item) => Record<string, unknown> }> = {
  transactions: {
    key: (it) => [it.block_number as number, it.position as number],
    params: (it) => ({ block_number: it.block_number, index: it.position }),
  },
  'internal-transactions': {
    key: (it) => [it.block_number as number, it.transaction_index as number, it.index as number],
    params: (it) => ({ block_number: it.block_number, index: it.index, transaction_index: it.transaction_index }),
  },
  'token-transfers': {
    key: (it) => [it.block_number as number, it.log_index as number],
    params: (it) => ({ block_number: it.block_number, index: it.log_index }),
  },
};

/**
 * Test-only Transport answering like Blockscout REST API v2 address endpoints from hand-written items: newest first,
 * `filter=from|to`, `type=ERC-20`, `pageSize` items a page, `next_page_params` derived from the page's last item
 * (block_number, index, items_count, plus the request's own filter/type as Blockscout echoes them); an address it
 * does not know answers 200 with no items; a malformed address 422. A `script` queue answers the next requests
 * first. `echoKey` makes it echo the `apikey` into next_page_params (as a careless server could).
 */
export class FakeBlockscout implements Transport {
  readonly requests: TransportRequest[] = [];
  readonly script: Scripted[] = [];
  echoKey = false;
  constructor(
    readonly ledger: BlockscoutLedger,
    readonly pageSize = 50,
  ) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const scripted = this.script.shift();
    if (scripted !== undefined) return respond(scripted.status ?? 200, scripted.body, scripted.contentType);
    const url = new URL(request.url);
    const m = /^\/api\/v2\/addresses\/([^/]+)\/(transactions|internal-transactions|token-transfers)$/.exec(
      url.pathname,
    );
    if (m === null) return respond(404, JSON.stringify({ message: 'Not found' }));
    const [, address, endpoint] = m as unknown as [string, string, Endpoint];
    if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return respond(422, JSON.stringify({ message: 'Invalid parameter(s)' }));
    const q = url.searchParams;
    const filter = q.get('filter');
    const rule = paging[endpoint];
    let items = (this.ledger[endpoint] ?? []).filter((it) => {
      const from = hashOf(it.from);
      const to = hashOf(it.to) || hashOf(it.created_contract);
      const a = address.toLowerCase();
      if (filter === 'from') return from === a;
      if (filter === 'to') return to === a;
      return from === a || to === a;
    });
    if (endpoint === 'token-transfers' && q.get('type') !== null) {
      items = items.filter((it) => (it.token as { type?: string }).type === q.get('type'));
    }
    items.sort((a, b) => compareDesc(rule.key(a), rule.key(b)));
    let start = 0;
    if (q.has('block_number')) {
      const after = Object.fromEntries(
        [...q].filter(([k]) => k !== 'items_count' && k !== 'filter' && k !== 'type' && k !== 'apikey'),
      );
      start = items.findIndex((it) => Object.entries(rule.params(it)).every(([k, v]) => String(v) === after[k])) + 1;
      if (start === 0) return respond(422, JSON.stringify({ message: 'Invalid parameter(s)' }));
    }
    const page = items.slice(start, start + this.pageSize);
    const last = page[page.length - 1];
    const more = start + this.pageSize < items.length && last !== undefined;
    const next = more
      ? {
          ...rule.params(last),
          items_count: start + this.pageSize,
          ...(filter === null ? {} : { filter }),
          ...(q.get('type') === null ? {} : { type: q.get('type') }),
          ...(this.echoKey && q.get('apikey') !== null ? { apikey: q.get('apikey') } : {}),
        }
      : null;
    return respond(200, JSON.stringify({ items: page, next_page_params: next }));
  }

  stats() {
    return { sent: this.requests.length, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  }

  /** Each request as [endpoint, query params without the key]. */
  get queries(): [string, Record<string, string>][] {
    return this.requests.map((r) => {
      const url = new URL(r.url);
      const q = Object.fromEntries(url.searchParams);
      delete q.apikey;
      return [url.pathname.split('/').pop()!, q];
    });
  }
}

function compareDesc(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (b[i] ?? 0) - (a[i] ?? 0);
  return 0;
}

function respond(status: number, body: string, contentType = 'application/json; charset=utf-8'): TransportResponse {
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
