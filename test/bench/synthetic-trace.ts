import type { TraceFile } from '@fundflow/core';

/**
 * Building blocks of the synthetic traces the graph and viewer benchmarks draw: a seeded xorshift32, one tainted
 * transfer at a hop, an exchange label, and the `fundflow.trace/1` envelope around them (one `sim:SIM` asset, fifo).
 */

type Edges = NonNullable<TraceFile['results']['fifo']>['edges'];
type Stops = NonNullable<TraceFile['results']['fifo']>['stops'];

/** xorshift32 in [0, 1): fast, seeded, the same everywhere. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** Appends a transfer `from → to` arriving at hop `hop` (tainted whole under fifo) with a random amount and time. */
export function addTaintedTransfer(
  t: { transfers: TraceFile['transfers']; edges: Edges },
  id: string,
  from: string,
  to: string,
  hop: number,
  rand: () => number,
): void {
  const amount = String(1_000 + Math.floor(rand() * 1e9));
  t.transfers.push({
    id,
    txid: id,
    from,
    to,
    asset: 'sim:SIM',
    amount,
    time: 1_700_000_000 + hop * 3600 + Math.floor(rand() * 3600),
    height: 1000 + hop,
    kind: 'native',
    evidence: [],
  });
  t.edges.push({ transfer: id, amount, hop, rule: 'account.outflow/fifo', confidence: 1 });
}

/** A synthetic exchange label. */
export function exchangeLabel(address: string, name: string): TraceFile['labels'][number] {
  return {
    address,
    chain: 'sim',
    name,
    category: 'exchange',
    pack: 'bench',
    source: 'synthetic',
    asOf: '2025-01-01',
    confidence: 'high',
  };
}

/** The trace file around synthetic transfers, edges, stops and labels. */
export function syntheticEnvelope(parts: {
  seed: string;
  hops: number;
  labels: TraceFile['labels'];
  transfers: TraceFile['transfers'];
  edges: Edges;
  stops: Stops;
}): TraceFile {
  return {
    format: 'fundflow.trace/1',
    engine: { name: '@fundflow/core', version: 'bench' },
    chain: 'sim',
    model: 'account',
    asset: { id: 'sim:SIM', chain: 'sim', symbol: 'SIM', decimals: 8 },
    params: {
      seeds: [parts.seed],
      policies: ['fifo'],
      maxHops: parts.hops + 1,
      minAmount: '0',
      fanOutCap: 1_000_000,
      stopCategories: ['exchange'],
    },
    sources: [],
    labelPacks: [],
    labels: parts.labels,
    transfers: parts.transfers,
    transactions: [],
    results: {
      fifo: {
        edges: parts.edges,
        stops: parts.stops,
        summary: { stolen: '0', byReason: {}, cashOuts: [], maxHop: parts.hops },
      },
    },
  };
}
