import type { UtxoOutput, UtxoTransaction } from '@fundflow/core';
import { type CoinJoinFlag, coinJoinFlag } from './coinjoin';
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
  const paying = payingOutputs(tx, coinJoinFlag(tx));
  if (typeof paying === 'string') return { guess: undefined, candidates: [], reason: paying };
  const facts = new RuleFacts(tx, context);
  const candidates: ChangeCandidate[] = [];
  for (const { rule } of activeRules(context)) {
    const test = RULE_TESTS[rule];
    let q = paying.filter((o) => test.qualifies(o, facts));
    if (test.allSayNothing && q.length === paying.length) q = [];
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

/**
 * `detectChange`'s answer without its candidate lists: each rule counts its qualifying outputs in one pass and no
 * array is built (the tracer asks for every transaction it reads). `coinJoin`: the transaction's CoinJoin flag when
 * the caller has it already (null: none), else worked out here.
 * @example pickChange(tx, { rules: DEFAULT_CHANGE_RULES }) // { vout: 1, rule: 'change:round-value', confidence: 0.6 }
 */
export function pickChange(
  tx: UtxoTransaction,
  context: ChangeContext = {},
  coinJoin: CoinJoinFlag | null = coinJoinFlag(tx) ?? null,
): Pick<ChangeGuess, 'vout' | 'rule' | 'confidence'> | undefined {
  const paying = payingOutputs(tx, coinJoin ?? undefined);
  if (typeof paying === 'string') return undefined;
  const facts = new RuleFacts(tx, context);
  let picked: { vout: number; rule: (typeof CHANGE_RULES)[number] } | undefined;
  for (const rule of activeRules(context)) {
    const test = RULE_TESTS[rule.rule];
    let count = 0;
    let vout = -1;
    for (const o of paying) {
      if (!test.qualifies(o, facts)) continue;
      count++;
      vout = o.vout;
    }
    // Only a rule with exactly one candidate applies (paying has two outputs or more, so that one is never "all").
    if (count !== 1) continue;
    if (picked === undefined) picked = { vout, rule };
    else if (picked.vout !== vout) return undefined;
  }
  return picked && { vout: picked.vout, rule: picked.rule.rule, confidence: picked.rule.confidence };
}

/** The outputs that can pay someone (an address, value > 0), or why the transaction has no change. */
function payingOutputs(
  tx: UtxoTransaction,
  coinJoin: CoinJoinFlag | undefined,
): UtxoOutput[] | 'coinbase' | 'coinjoin' | 'too-few-outputs' {
  if (tx.inputs.length === 0 || tx.inputs.some((i) => i.coinbase)) return 'coinbase';
  if (coinJoin !== undefined) return 'coinjoin';
  const outs = tx.outputs.filter((o) => o.hasAddress && o.value > 0n);
  return outs.length < 2 ? 'too-few-outputs' : outs;
}

/** The rules asked for, in CHANGE_RULES order (only they run). */
function activeRules(context: ChangeContext): readonly (typeof CHANGE_RULES)[number][] {
  const { rules } = context;
  return rules === undefined ? CHANGE_RULES : CHANGE_RULES.filter((r) => rules.includes(r.rule));
}

/** What the rules look at, worked out once per transaction and only when a rule asks. */
class RuleFacts {
  #mine: ((address: string) => boolean) | undefined;
  #smallest: bigint | undefined;
  #inputType: string | undefined | null = null;

  constructor(
    readonly tx: UtxoTransaction,
    readonly context: ChangeContext,
  ) {}

  /** Whether an input spends from `address` (a scan: transactions have few inputs; a set above a few dozen). */
  spendsFrom(address: string): boolean {
    if (this.#mine === undefined) {
      const { inputs } = this.tx;
      if (inputs.length > 32) {
        const mine = new Set<string | undefined>(inputs.map((i) => i.address));
        this.#mine = (a) => mine.has(a);
      } else this.#mine = (a) => inputs.some((i) => i.address === a);
    }
    return this.#mine(address);
  }

  /** The smallest input value. */
  get smallest(): bigint {
    if (this.#smallest === undefined) {
      let smallest = this.tx.inputs[0]!.value;
      for (const i of this.tx.inputs) if (i.value < smallest) smallest = i.value;
      this.#smallest = smallest;
    }
    return this.#smallest;
  }

  /** The inputs' script type, when every input's address tells it and they all agree. */
  get inputType(): string | undefined {
    if (this.#inputType === null) {
      const types = new Set(
        this.tx.inputs.map((i) => (i.address === undefined ? undefined : addressScriptType(i.address))),
      );
      this.#inputType = types.size === 1 ? [...types][0] : undefined;
    }
    return this.#inputType;
  }
}

/**
 * Each rule once: whether a paying output qualifies, and whether every paying output qualifying says nothing (it
 * tells change from payment only when some output does not qualify).
 */
const RULE_TESTS: Record<
  ChangeRuleName,
  { qualifies(o: UtxoOutput, facts: RuleFacts): boolean; allSayNothing: boolean }
> = {
  'change:direct': { qualifies: (o, f) => f.spendsFrom(o.address), allSayNothing: false },
  'change:script-type': {
    qualifies: (o, f) => f.inputType !== undefined && o.scriptType === f.inputType,
    allSayNothing: true,
  },
  'change:optimal': { qualifies: (o, f) => o.value < f.smallest, allSayNothing: true },
  'change:round-value': { qualifies: (o) => o.value % ROUND_UNIT !== 0n, allSayNothing: true },
  'change:fresh-address': {
    qualifies: (o, f) => {
      const seen = f.context.addressSeenBefore;
      const height = f.tx.height < 0 ? Number.MAX_SAFE_INTEGER : f.tx.height;
      return seen !== undefined && !f.spendsFrom(o.address) && !seen(o.address, height);
    },
    allSayNothing: true,
  },
};
