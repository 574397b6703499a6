import type { UtxoOutput, UtxoTransaction } from '@fundflow/core';
import { coinJoinFlag } from './coinjoin';
import { addressScriptType } from './script-type';

/**
 * The change rules (methods.md, "UTXO heuristics"; Meiklejohn et al. 2013, BlockSci, GraphSense), strongest first.
 * Each applies only when exactly one output qualifies. Confidences are priors for edge provenance, not measured
 * probabilities: direct change is near-certain (an address paying itself), the others are wallet-behaviour guesses
 * that an attacker who mixes script types or pays round sums can defeat.
 */
export const CHANGE_RULES = [
  { rule: 'change:direct', confidence: 0.95, what: 'the output pays an address that is also an input address' },
  { rule: 'change:script-type', confidence: 0.7, what: 'the only output whose script type matches all the inputs' },
  { rule: 'change:optimal', confidence: 0.65, what: 'the only output smaller than every input' },
  { rule: 'change:round-value', confidence: 0.6, what: 'the only output not a multiple of 1000 sat; the rest are' },
  { rule: 'change:fresh-address', confidence: 0.5, what: 'the only output address never seen before this block' },
] as const;

export type ChangeRuleName = (typeof CHANGE_RULES)[number]['rule'];

/** Round value: a multiple of this many base units (1000 sat = 0.00001 BTC/LTC). */
export const ROUND_UNIT = 1000n;

export interface ChangeContext {
  /**
   * True when `address` appeared on chain (received or spent) in a block below `beforeHeight`. Without it the
   * fresh-address rule does not run.
   */
  addressSeenBefore?(address: string, beforeHeight: number): boolean;
  /** Run only these rules (default: all). E.g. drop `change:script-type` where wallets mix script types. */
  rules?: readonly ChangeRuleName[];
}

export interface ChangeCandidate {
  rule: ChangeRuleName;
  /** The outputs that qualified under the rule (the rule applies only when there is exactly one). */
  vouts: number[];
}

export interface ChangeGuess {
  vout: number;
  /** The strongest applicable rule that picked this output. */
  rule: ChangeRuleName;
  confidence: number;
  /** Every rule that had at least one qualifying output, in CHANGE_RULES order. */
  candidates: ChangeCandidate[];
}

export interface ChangeExplanation {
  guess: ChangeGuess | undefined;
  candidates: ChangeCandidate[];
  /** Why there is no guess. */
  reason?: 'coinbase' | 'coinjoin' | 'too-few-outputs' | 'no-rule' | 'conflict';
}

/** `change:direct(0.95)`: a rule and its confidence as one provenance string. */
export function ruleLabel(rule: string, confidence: number): string {
  return `${rule}(${confidence})`;
}

/**
 * Guesses which output of `tx` is change (goes back to the inputs' owner). Runs every rule of `CHANGE_RULES` on the
 * outputs that can pay someone (an address, value > 0: OP_RETURN and other script ids are never change); a rule
 * applies only when exactly one output qualifies. When the applicable rules agree, returns their output with the
 * strongest rule's name and confidence; when they point at different outputs, returns undefined (a wrong change link
 * merges two owners, so disagreement means no answer). Coinbases, CoinJoins and transactions with fewer than two
 * paying outputs have no change. Pure.
 * @example detectChange(tx, {})?.rule // 'change:direct'
 */
export function detectChange(tx: UtxoTransaction, context: ChangeContext = {}): ChangeGuess | undefined {
  return explainChange(tx, context).guess;
}

/** `detectChange` with its reasoning: every rule's candidates and why there is no guess. */
export function explainChange(tx: UtxoTransaction, context: ChangeContext = {}): ChangeExplanation {
  if (tx.inputs.length === 0 || tx.inputs.some((i) => i.coinbase))
    return { guess: undefined, candidates: [], reason: 'coinbase' };
  if (coinJoinFlag(tx) !== undefined) return { guess: undefined, candidates: [], reason: 'coinjoin' };
  const outs = tx.outputs.filter((o) => o.hasAddress && o.value > 0n);
  if (outs.length < 2) return { guess: undefined, candidates: [], reason: 'too-few-outputs' };

  const candidates: ChangeCandidate[] = [];
  for (const { rule } of CHANGE_RULES) {
    // Only the rules asked for run (the tracer annotates every transaction it reads).
    if (context.rules !== undefined && !context.rules.includes(rule)) continue;
    const q = qualifyingOutputs(rule, tx, outs, context);
    if (q.length > 0) candidates.push({ rule, vouts: q.map((o) => o.vout) });
  }
  const applicable = candidates.filter((c) => c.vouts.length === 1);
  if (applicable.length === 0) return { guess: undefined, candidates, reason: 'no-rule' };
  const picked = new Set(applicable.map((c) => c.vouts[0]!));
  if (picked.size > 1) return { guess: undefined, candidates, reason: 'conflict' };
  const strongest = CHANGE_RULES.find((r) => r.rule === applicable[0]!.rule)!;
  return {
    guess: { vout: applicable[0]!.vouts[0]!, rule: strongest.rule, confidence: strongest.confidence, candidates },
    candidates,
  };
}

/** The paying outputs that qualify under one rule. */
function qualifyingOutputs(
  rule: ChangeRuleName,
  tx: UtxoTransaction,
  outs: UtxoOutput[],
  context: ChangeContext,
): UtxoOutput[] {
  switch (rule) {
    case 'change:direct':
      return directChange(tx, outs);
    case 'change:script-type':
      return scriptTypeMatch(tx, outs);
    case 'change:optimal':
      return optimalChange(tx, outs);
    case 'change:round-value':
      return roundValue(outs);
    case 'change:fresh-address':
      return freshAddress(tx, outs, context);
  }
}

/** Whether an input spends from `address` (a scan: transactions have few inputs; a set above a few dozen). */
function inputAddressTest(tx: UtxoTransaction): (address: string) => boolean {
  if (tx.inputs.length > 32) {
    const mine = new Set<string | undefined>(tx.inputs.map((i) => i.address));
    return (address) => mine.has(address);
  }
  return (address) => tx.inputs.some((i) => i.address === address);
}

function directChange(tx: UtxoTransaction, outs: UtxoOutput[]): UtxoOutput[] {
  const mine = inputAddressTest(tx);
  return outs.filter((o) => mine(o.address));
}

// The inputs' script type, when every input's address tells it and they all agree.
function scriptTypeMatch(tx: UtxoTransaction, outs: UtxoOutput[]): UtxoOutput[] {
  const types = new Set<string | undefined>(
    tx.inputs.map((i) => (i.address === undefined ? undefined : addressScriptType(i.address))),
  );
  if (types.size !== 1) return [];
  const [type] = types;
  if (type === undefined) return [];
  const matching = outs.filter((o) => o.scriptType === type);
  // Every output matching says nothing, as does none.
  return matching.length === outs.length ? [] : matching;
}

function optimalChange(tx: UtxoTransaction, outs: UtxoOutput[]): UtxoOutput[] {
  let smallest: bigint | undefined;
  for (const i of tx.inputs) if (smallest === undefined || i.value < smallest) smallest = i.value;
  if (smallest === undefined) return [];
  const below = outs.filter((o) => o.value < smallest);
  // With one input every output is smaller than it: the rule says nothing.
  return below.length === outs.length ? [] : below;
}

function roundValue(outs: UtxoOutput[]): UtxoOutput[] {
  const odd = outs.filter((o) => o.value % ROUND_UNIT !== 0n);
  return odd.length === outs.length ? [] : odd;
}

function freshAddress(tx: UtxoTransaction, outs: UtxoOutput[], context: ChangeContext): UtxoOutput[] {
  const seen = context.addressSeenBefore;
  if (seen === undefined) return [];
  const mine = inputAddressTest(tx);
  const height = tx.height < 0 ? Number.MAX_SAFE_INTEGER : tx.height;
  const fresh = outs.filter((o) => !mine(o.address) && !seen(o.address, height));
  return fresh.length === outs.length ? [] : fresh;
}
