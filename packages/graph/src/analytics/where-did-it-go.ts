import type { PolicyName, StopReason, TraceFile } from '@fundflow/core';
import { tracedPolicies } from '../build-graph';

/** Where value stopped at one address for one reason, under each policy (decimal strings, '0' where none). */
export interface Destination {
  address: string;
  label: string;
  category: string;
  reason: StopReason;
  amounts: Partial<Record<PolicyName, string>>;
  /** Largest minus smallest amount over the policies: how much the choice of policy matters here. */
  spread: string;
}

export interface WhereDidItGo {
  policies: PolicyName[];
  stolen: Partial<Record<PolicyName, string>>;
  /** Per stop reason, the amount under each policy. */
  byReason: { reason: string; amounts: Partial<Record<PolicyName, string>>; spread: string }[];
  /** Per (address, reason), fees summed into one row with address ''. Largest first. */
  destinations: Destination[];
}

/**
 * "Where did the money go" under every policy of the trace, side by side, with the spread between policies.
 * @example whereDidItGo(trace).destinations.filter((d) => d.reason === 'cash-out')
 */
export function whereDidItGo(trace: TraceFile): WhereDidItGo {
  const policies = tracedPolicies(trace);
  const labels = new Map(trace.labels.map((l) => [l.address, l]));
  const rows = new Map<
    string,
    { address: string; reason: StopReason; amounts: bigint[]; label: string; category: string }
  >();
  const reasons = new Map<string, bigint[]>();
  const stolen: Partial<Record<PolicyName, string>> = {};
  policies.forEach((p, i) => {
    const r = trace.results[p]!;
    stolen[p] = r.summary.stolen;
    for (const s of r.stops) {
      const address = s.reason === 'fee' ? '' : s.address;
      const key = `${s.reason}\u0000${address}`;
      let row = rows.get(key);
      if (row === undefined) {
        const l = labels.get(address);
        row = {
          address,
          reason: s.reason,
          amounts: policies.map(() => 0n),
          label: s.label ?? l?.name ?? '',
          category: s.category ?? l?.category ?? '',
        };
        rows.set(key, row);
      }
      row.amounts[i]! += BigInt(s.amount);
      let byReason = reasons.get(s.reason);
      if (byReason === undefined) {
        byReason = policies.map(() => 0n);
        reasons.set(s.reason, byReason);
      }
      byReason[i]! += BigInt(s.amount);
    }
  });
  const record = (values: bigint[]) => Object.fromEntries(policies.map((p, i) => [p, values[i]!.toString()]));
  const spread = (values: bigint[]) => {
    let lo = values[0] ?? 0n;
    let hi = lo;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  };
  const max = (values: bigint[]) => {
    let m = 0n;
    for (const v of values) if (v > m) m = v;
    return m;
  };
  const destinations = [...rows.values()]
    .sort((a, b) => {
      const ma = max(a.amounts);
      const mb = max(b.amounts);
      if (ma !== mb) return ma > mb ? -1 : 1;
      return a.reason < b.reason
        ? -1
        : a.reason > b.reason
          ? 1
          : a.address < b.address
            ? -1
            : a.address > b.address
              ? 1
              : 0;
    })
    .map((r) => ({
      address: r.address,
      label: r.label,
      category: r.category,
      reason: r.reason,
      amounts: record(r.amounts),
      spread: spread(r.amounts).toString(),
    }));
  return {
    policies,
    stolen,
    byReason: [...reasons.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([reason, v]) => ({ reason, amounts: record(v), spread: spread(v).toString() })),
    destinations,
  };
}
