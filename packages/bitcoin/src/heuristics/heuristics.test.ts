import type { UtxoTransaction } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import {
  addressScriptType,
  annotateUtxo,
  type ChangeContext,
  coinJoinFlag,
  commonInputClusters,
  DEFAULT_CHANGE_RULES,
  detectChange,
  detectPeelChains,
  explainChange,
  pickChange,
  ruleLabel,
} from './index';

// Real addresses (litecoin regtest from the ltc fixture, BIP 173 vectors) for the script-type rule.
const WPKH = 'rltc1qs6pudn4v37puzqjnn7c6k4r7ez73mj5xdr4vdw';
const WPKH2 = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const PKH = 'mhEsiUh7DC6VqSQA6z5DetBRFfKWHRfm64';
const SH = 'QPRdJzqZWWYSr5gu27hyqcKxyT9SK4VPcY';
const PKH2 = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const WSH = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';

type In = [address: string, value: number];
type Out = [address: string, value: number, scriptType?: string];
let counter = 0;
function tx(ins: In[], outs: Out[], opts: { txid?: string; height?: number; spends?: string[] } = {}): UtxoTransaction {
  const txid = opts.txid ?? `t${++counter}`;
  return {
    txid,
    time: 0,
    height: opts.height ?? 100,
    confirmed: true,
    inputs: ins.map(([address, value], i) => ({
      address,
      value: BigInt(value),
      coinbase: false,
      outpoint: opts.spends?.[i] ?? `prev${counter}-${i}:0`,
    })),
    outputs: outs.map(([address, value, scriptType], vout) => ({
      vout,
      address,
      value: BigInt(value),
      scriptType: scriptType ?? addressScriptType(address) ?? 'unknown',
      hasAddress: !address.startsWith('script:'),
    })),
    fee: 1000n,
    evidence: [],
  };
}

describe('addressScriptType', () => {
  it.each([
    [WPKH, 'v0_p2wpkh'],
    [WPKH2, 'v0_p2wpkh'],
    [WSH, 'v0_p2wsh'],
    [PKH, 'p2pkh'],
    [SH, 'p2sh'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'p2pkh'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'p2sh'],
    ['bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297', 'v1_p2tr'],
    ['script:op_return:00', 'op_return'],
    ['not an address', undefined],
  ])('%s → %s', (address, type) => {
    expect(addressScriptType(address)).toBe(type);
  });
});

describe('detectChange: each rule firing', () => {
  const seen = new Set(['payee-old']);
  const context: ChangeContext = { addressSeenBefore: (a) => seen.has(a) };
  it.each<[string, UtxoTransaction, ChangeContext, number, string]>([
    [
      'direct: an output back to an input address',
      tx(
        [['A', 500_123]],
        [
          ['B', 200_000],
          ['A', 299_123],
        ],
      ),
      {},
      1,
      'change:direct',
    ],
    [
      'script-type: only output of the inputs type',
      tx(
        [[PKH, 500_123]],
        [
          [WPKH, 200_000],
          [PKH2, 299_123],
        ],
      ),
      {},
      1,
      'change:script-type',
    ],
    [
      'optimal: only output below every input',
      tx(
        [
          ['A', 300_000],
          ['B', 400_000],
        ],
        [
          ['C', 650_000],
          ['D', 40_000],
        ],
      ),
      {},
      1,
      'change:optimal',
    ],
    [
      'round value: the only non-round output',
      tx(
        [['A', 900_000]],
        [
          ['C', 400_777],
          ['D', 498_000],
        ],
      ),
      {},
      0,
      'change:round-value',
    ],
    [
      'fresh address: the only new address',
      tx(
        [['A', 900_000]],
        [
          ['payee-old', 400_777],
          ['E', 498_123],
        ],
      ),
      context,
      1,
      'change:fresh-address',
    ],
  ])('%s', (_name, t, ctx, vout, rule) => {
    const got = detectChange(t, ctx);
    expect(got?.vout).toBe(vout);
    expect(got?.rule).toBe(rule);
    expect(got?.candidates.some((c) => c.rule === rule && c.vouts.length === 1)).toBe(true);
  });

  it('reports the strongest of agreeing rules with its confidence', () => {
    // direct and round-value both pick vout 1
    const got = detectChange(
      tx(
        [['A', 900_000]],
        [
          ['B', 400_000],
          ['A', 498_765],
        ],
      ),
    );
    expect(got).toMatchObject({ vout: 1, rule: 'change:direct', confidence: 0.95 });
    expect(got?.candidates.map((c) => c.rule)).toEqual(['change:direct', 'change:round-value']);
    expect(ruleLabel(got!.rule, got!.confidence)).toBe('change:direct(0.95)');
  });
});

describe('detectChange: not firing', () => {
  it.each<[string, UtxoTransaction, string]>([
    [
      'two outputs back to input addresses',
      tx(
        [
          ['A', 9e5],
          ['B', 1e5],
        ],
        [
          ['A', 1e5],
          ['B', 2e5],
          ['C', 6e5],
        ],
      ),
      'no-rule',
    ],
    [
      'two outputs of the inputs script type',
      tx(
        [[PKH, 9e5]],
        [
          [PKH, 3e5],
          [PKH, 2e5],
          [WPKH, 3e5],
        ],
      ),
      'no-rule',
    ],
    [
      'every output of the inputs type',
      tx(
        [[WPKH2, 9e5]],
        [
          [WPKH, 3e5],
          [WPKH, 5e5],
        ],
      ),
      'no-rule',
    ],
    [
      'two non-round outputs',
      tx(
        [['A', 9e5]],
        [
          ['B', 300_001],
          ['C', 500_002],
          ['D', 1e5],
        ],
      ),
      'no-rule',
    ],
    [
      'one input: every output below it',
      tx(
        [['A', 900_000]],
        [
          ['B', 300_001],
          ['C', 500_002],
        ],
      ),
      'no-rule',
    ],
    [
      'a single paying output (OP_RETURN ignored)',
      tx(
        [['A', 9e5]],
        [
          ['B', 8e5],
          ['script:op_return:00', 0, 'op_return'],
        ],
      ),
      'too-few-outputs',
    ],
    // direct picks vout 0, round-value picks vout 1
    [
      'conflicting rules',
      tx(
        [['A', 900_000]],
        [
          ['A', 400_000],
          ['B', 498_765],
        ],
      ),
      'conflict',
    ],
    [
      'a CoinJoin',
      tx(
        [
          ['A', 2e5],
          ['B', 2e5],
          ['C', 2e5],
        ],
        [
          ['D', 1e5],
          ['E', 1e5],
          ['F', 1e5],
          ['A', 12_345],
        ],
      ),
      'coinjoin',
    ],
  ])('%s', (_name, t, reason) => {
    const e = explainChange(t, {});
    expect(e.guess).toBeUndefined();
    expect(e.reason).toBe(reason);
    expect(detectChange(t)).toBeUndefined();
  });

  it('skips the fresh-address rule without a context, and rules left out of `rules`', () => {
    const t = tx(
      [['A', 900_000]],
      [
        ['old', 400_777],
        ['new', 498_123],
      ],
    );
    expect(detectChange(t)).toBeUndefined();
    expect(detectChange(t, { addressSeenBefore: (a) => a === 'old', rules: ['change:direct'] })).toBeUndefined();
  });
});

describe('coinJoinFlag', () => {
  const five = (v: number): Out[] => ['a', 'b', 'c', 'd', 'e'].map((x) => [x, v]);
  const fiveIn: In[] = ['p', 'q', 'r', 's', 't'].map((x) => [x, 1_050_000]);
  it.each<[string, UtxoTransaction, ReturnType<typeof coinJoinFlag>]>([
    ['Whirlpool 0.01 pool', tx(fiveIn, five(1_000_000)), { kind: 'whirlpool', denomination: 1_000_000n, count: 5 }],
    ['Whirlpool 0.5 pool', tx(fiveIn, five(50_000_000)), { kind: 'whirlpool', denomination: 50_000_000n, count: 5 }],
    [
      '5/5 of a non-pool value is equal-outputs',
      tx(fiveIn, five(2_000_000)),
      { kind: 'equal-outputs', denomination: 2_000_000n, count: 5 },
    ],
    [
      'Wasabi-like: equal outputs plus change',
      tx(
        [
          ['p', 3e6],
          ['q', 3e6],
          ['r', 3e6],
        ],
        [
          ['a', 1e6],
          ['b', 1e6],
          ['c', 1e6],
          ['x', 1_999_000],
          ['y', 1_998_000],
        ],
      ),
      { kind: 'equal-outputs', denomination: 1_000_000n, count: 3 },
    ],
    [
      'two equal outputs only',
      tx(
        [
          ['p', 3e6],
          ['q', 3e6],
          ['r', 3e6],
        ],
        [
          ['a', 1e6],
          ['b', 1e6],
          ['c', 2e6],
        ],
      ),
      undefined,
    ],
    [
      'two inputs only',
      tx(
        [
          ['p', 3e6],
          ['q', 3e6],
        ],
        [
          ['a', 1e6],
          ['b', 1e6],
          ['c', 1e6],
        ],
      ),
      undefined,
    ],
    [
      'batch payout from one address',
      tx(
        [
          ['p', 3e6],
          ['p', 3e6],
          ['p', 3e6],
        ],
        [
          ['a', 1e6],
          ['b', 1e6],
          ['c', 1e6],
        ],
      ),
      undefined,
    ],
    [
      'equal outputs to one address',
      tx(
        [
          ['p', 3e6],
          ['q', 3e6],
          ['r', 3e6],
        ],
        [
          ['a', 1e6],
          ['a', 1e6],
          ['a', 1e6],
        ],
      ),
      undefined,
    ],
  ])('%s', (_name, t, want) => {
    expect(coinJoinFlag(t)).toEqual(want);
  });
});

describe('commonInputClusters', () => {
  it('merges input addresses transitively, ids are the smallest address, CoinJoins do not merge', () => {
    const whirlpool = tx(
      ['m1', 'm2', 'm3', 'm4', 'z9'].map((a): In => [a, 1_050_000]),
      ['a', 'b', 'c', 'd', 'e'].map((a): Out => [a, 1_000_000]),
      { txid: 'wp' },
    );
    const wasabi = tx(
      [
        ['z9', 3e6],
        ['k1', 3e6],
        ['k2', 3e6],
      ],
      [
        ['a', 1e6],
        ['b', 1e6],
        ['c', 1e6],
      ],
      { txid: 'ww' },
    );
    const txs = [
      tx(
        [
          ['z9', 1],
          ['y8', 1],
        ],
        [['o', 1]],
      ),
      tx(
        [
          ['y8', 1],
          ['x7', 1],
        ],
        [['o', 1]],
      ),
      whirlpool,
      wasabi,
      tx([['solo', 5]], [['o', 1]]),
    ];
    const forward = commonInputClusters(txs);
    expect(forward.clusters).toEqual([
      { id: 'k1', addresses: ['k1'] },
      { id: 'k2', addresses: ['k2'] },
      { id: 'm1', addresses: ['m1'] },
      { id: 'm2', addresses: ['m2'] },
      { id: 'm3', addresses: ['m3'] },
      { id: 'm4', addresses: ['m4'] },
      { id: 'solo', addresses: ['solo'] },
      { id: 'x7', addresses: ['x7', 'y8', 'z9'] },
    ]);
    expect(forward.clusterOf.get('z9')).toBe('x7');
    expect(forward.skippedCoinJoins).toEqual(['wp', 'ww']);
    expect(commonInputClusters([...txs].reverse()).clusters).toEqual(forward.clusters);
  });
});

describe('detectPeelChains', () => {
  // A chain of `n` peel steps starting from outpoint `from`; `bigFirst` alternates the carry's position.
  function chain(n: number, prefix: string, start = 10_000_000): UtxoTransaction[] {
    const out: UtxoTransaction[] = [];
    let value = start;
    let prev = `${prefix}-funding:0`;
    for (let i = 0; i < n; i++) {
      const peel = 100_000 + i;
      const rest = value - peel - 1000;
      const carryFirst = i % 2 === 0;
      const outs: Out[] = carryFirst
        ? [
            [`${prefix}c${i}`, rest],
            [`${prefix}p${i}`, peel],
          ]
        : [
            [`${prefix}p${i}`, peel],
            [`${prefix}c${i}`, rest],
          ];
      const t = tx([[i === 0 ? `${prefix}start` : `${prefix}c${i - 1}`, value]], outs, {
        txid: `${prefix}${i}`,
        height: 100 + i,
        spends: [prev],
      });
      out.push(t);
      prev = `${t.txid}:${carryFirst ? 0 : 1}`;
      value = rest;
    }
    return out;
  }

  it('follows the big output and reports each peel', () => {
    const [got] = detectPeelChains(chain(5, 'a'));
    expect(got!.length).toBe(5);
    expect(got!.txids).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(got!.peels.map((p) => [p.txid, p.vout, p.value, p.address, p.hop])).toEqual([
      ['a0', 1, 100_000n, 'ap0', 0],
      ['a1', 0, 100_001n, 'ap1', 1],
      ['a2', 1, 100_002n, 'ap2', 2],
      ['a3', 0, 100_003n, 'ap3', 3],
      ['a4', 1, 100_004n, 'ap4', 4],
    ]);
    expect(got!.carry).toMatchObject({ txid: 'a4', vout: 0, address: 'ac4' });
  });

  it('does not report runs shorter than 3, and sorts chains by start height', () => {
    expect(detectPeelChains(chain(2, 'b'))).toEqual([]);
    const both = detectPeelChains([...chain(3, 'd'), ...chain(4, 'c')]);
    expect(both.map((c) => c.txids[0])).toEqual(['c0', 'd0']);
  });

  it('a merge breaks the chain: the merging transaction is no step', () => {
    const steps = chain(6, 'e');
    // Step 3 also spends a foreign coin from another address: a merge.
    const merged = steps[3]!;
    merged.inputs.push({ address: 'other', value: 5_000_000n, coinbase: false, outpoint: 'foreign:0' });
    const chains = detectPeelChains(steps);
    expect(chains.map((c) => c.txids)).toEqual([['e0', 'e1', 'e2']]);
    // e4 and e5 are a run of 2 after the merge: not reported.
  });

  it('an even split is no peel step', () => {
    const t = tx(
      [['s', 2_000_000]],
      [
        ['x', 1_000_000],
        ['y', 999_000],
      ],
    );
    expect(detectPeelChains([t, ...chain(2, 'f')])).toEqual([]);
  });
});

describe('annotateUtxo', () => {
  // annotateUtxo runs the default change rules in one pass of its own (the tracer annotates every transaction it
  // reads); it must give what coinJoinFlag + detectChange with those rules give, on every shape of transaction.
  function reference(t: UtxoTransaction) {
    const mixed = coinJoinFlag(t);
    if (mixed) return { mixed };
    const change = detectChange(t, { rules: DEFAULT_CHANGE_RULES });
    return change ? { outputs: [{ vout: change.vout, rule: change.rule, confidence: change.confidence }] } : undefined;
  }

  it('gives the reference answer on 20,000 seeded random transactions, and each default rule fires', () => {
    let state = 7;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const addresses = [WPKH, WPKH2, PKH, SH, PKH2, WSH, 'script:op_return:00'];
    const values = [0, 1, 999, 1000, 5000, 12_345, 100_000, 1_000_000, 5_000_000, 50_000_000];
    const seen = new Set<string>();
    for (let n = 0; n < 20_000; n++) {
      const ins: In[] = Array.from({ length: rand(6) }, () => [addresses[rand(6)]!, values[1 + rand(9)]!]);
      const outs: Out[] = Array.from({ length: 1 + rand(6) }, () => [addresses[rand(7)]!, values[rand(10)]!]);
      const t = tx(ins, outs);
      if (rand(50) === 0 && t.inputs[0]) t.inputs[0].coinbase = true;
      const got = annotateUtxo(t);
      expect(got).toEqual(reference(t));
      // Every rule, the address index included: the counting path against the listing one.
      const context = { addressSeenBefore: (a: string) => a === PKH || a === WSH };
      const full = detectChange(t, context);
      expect(pickChange(t, context)).toEqual(full && { vout: full.vout, rule: full.rule, confidence: full.confidence });
      if (full) seen.add(`all:${full.rule}`);
      for (const o of got?.outputs ?? []) seen.add(o.rule);
      if (got?.mixed) seen.add('mixed');
    }
    expect([...seen].filter((r) => !r.startsWith('all:')).sort()).toEqual([
      'change:direct',
      'change:optimal',
      'change:round-value',
      'mixed',
    ]);
    // Under all rules, script type and the address index pick change too.
    expect(seen).toContain('all:change:script-type');
    expect(seen).toContain('all:change:fresh-address');
  });
});
