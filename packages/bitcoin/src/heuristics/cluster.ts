import { compareStrings, type UtxoTransaction } from '@fundflow/core';
import { coinJoinFlag } from './coinjoin';

export interface AddressCluster {
  /** The cluster's smallest address (UTF-16 order): stable whatever the order of the transactions. */
  id: string;
  /** Sorted. */
  addresses: string[];
}

export interface CommonInputClustering {
  /** Sorted by id. Every input address is in exactly one cluster (singletons included). */
  clusters: AddressCluster[];
  /** address → cluster id. */
  clusterOf: Map<string, string>;
  /** CoinJoin transactions that were not merged (their inputs belong to many owners), sorted. */
  skippedCoinJoins: string[];
}

/** Rule name and confidence of the common-input-ownership heuristic (Meiklejohn et al. 2013). */
export const COMMON_INPUT_RULE = 'cluster:common-input';
export const COMMON_INPUT_CONFIDENCE = 0.9;

/**
 * Common-input-ownership clustering: all input addresses of one transaction belong to one owner (union-find over
 * the transactions given). CoinJoins (`coinJoinFlag`) are skipped: their input addresses stay as they were, so a
 * mixer never collapses unrelated owners into one cluster. Coinbase inputs and inputs without an address are ignored.
 * Pure and deterministic.
 */
export function commonInputClusters(txs: readonly UtxoTransaction[]): CommonInputClustering {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let root = a;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let x = a;
    while (x !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const add = (a: string): void => {
    if (!parent.has(a)) parent.set(a, a);
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The smaller address is the root, so the root is each cluster's id.
    if (compareStrings(ra, rb) < 0) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const skipped: string[] = [];
  for (const tx of txs) {
    const addresses = tx.inputs.flatMap((i) => (i.coinbase || i.address === undefined ? [] : [i.address]));
    for (const a of addresses) add(a);
    if (addresses.length < 2) continue;
    if (coinJoinFlag(tx) !== undefined) {
      skipped.push(tx.txid);
      continue;
    }
    for (const a of addresses.slice(1)) union(addresses[0]!, a);
  }
  const members = new Map<string, string[]>();
  const clusterOf = new Map<string, string>();
  for (const a of parent.keys()) {
    const id = find(a);
    clusterOf.set(a, id);
    const list = members.get(id) ?? [];
    list.push(a);
    members.set(id, list);
  }
  const clusters = [...members]
    .map(([id, addresses]) => ({ id, addresses: addresses.sort(compareStrings) }))
    .sort((x, y) => compareStrings(x.id, y.id));
  return { clusters, clusterOf, skippedCoinJoins: [...new Set(skipped)].sort(compareStrings) };
}
