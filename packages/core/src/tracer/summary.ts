import type { EdgeRecord, PolicyResult, StopRecord } from '../trace-file/schema';
import { compareStrings } from '../types';

/** All-asset traces: which asset each edge is in, and the native asset the top-level totals are in. */
export interface AssetSplit {
  primary: string;
  assetOf(transferId: string): string;
}

type Totals = { stolen: bigint; swappedIn: bigint; byReason: Record<string, bigint> };

/**
 * Sorts a policy's edges and stops and adds the summary: stolen total, stops per reason, cash-outs per address.
 * With `assets` (all-asset traces) the totals are kept per asset too, and cash-outs are per address and asset.
 */
export function summarize(edges: EdgeRecord[], stops: StopRecord[], assets?: AssetSplit): PolicyResult {
  edges.sort((a, b) => compareStrings(a.transfer, b.transfer));
  stops.sort(
    (a, b) =>
      compareStrings(a.location, b.location) ||
      compareStrings(a.reason, b.reason) ||
      compareStrings(a.asset ?? '', b.asset ?? ''),
  );
  const primary = assets?.primary ?? '';
  const perAsset = new Map<string, Totals>();
  const totals = (asset: string) => {
    const t = perAsset.get(asset) ?? { stolen: 0n, swappedIn: 0n, byReason: {} };
    perAsset.set(asset, t);
    return t;
  };
  let maxHop = 0;
  for (const e of edges) {
    const asset = assets ? assets.assetOf(e.transfer) : primary;
    if (e.rule.startsWith('seed.')) totals(asset).stolen += BigInt(e.amount);
    if (e.rule.startsWith('swap.in/')) totals(asset).swappedIn += BigInt(e.amount);
    maxHop = Math.max(maxHop, e.hop);
  }
  const cash = new Map<
    string,
    { address: string; asset?: string; label: string; category: StopRecord['category']; amount: bigint }
  >();
  for (const s of stops) {
    const byReason = totals(s.asset ?? primary).byReason;
    byReason[s.reason] = (byReason[s.reason] ?? 0n) + BigInt(s.amount);
    if (s.reason !== 'cash-out') continue;
    const key = s.asset === undefined ? s.address : `${s.address} ${s.asset}`;
    const c = cash.get(key) ?? {
      address: s.address,
      ...(s.asset !== undefined ? { asset: s.asset } : {}),
      label: s.label ?? '',
      category: s.category,
      amount: 0n,
    };
    c.amount += BigInt(s.amount);
    cash.set(key, c);
  }
  const strings = (r: Record<string, bigint>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.toString()]));
  const top = totals(primary);
  return {
    edges,
    stops,
    summary: {
      stolen: top.stolen.toString(),
      byReason: strings(top.byReason),
      cashOuts: [...cash.values()]
        .sort((a, b) =>
          b.amount > a.amount
            ? 1
            : b.amount < a.amount
              ? -1
              : compareStrings(a.address, b.address) || compareStrings(a.asset ?? '', b.asset ?? ''),
        )
        .map((c) => ({
          address: c.address,
          label: c.label,
          category: c.category ?? 'other',
          amount: c.amount.toString(),
          ...(c.asset !== undefined ? { asset: c.asset } : {}),
        })),
      maxHop,
      ...(assets
        ? {
            byAsset: Object.fromEntries(
              [...perAsset.keys()].sort(compareStrings).map((id) => {
                const t = perAsset.get(id)!;
                return [
                  id,
                  { stolen: t.stolen.toString(), swappedIn: t.swappedIn.toString(), byReason: strings(t.byReason) },
                ];
              }),
            ),
          }
        : {}),
    },
  };
}
