import { describe, expect, it } from 'vitest';
import { type FundflowError, isFundflowError } from '../errors';
import type { Label } from '../types';
import { sha256Hex } from '../util/hash';
import type { LabelPack } from './label-pack';
import { LabelRegistry, labelAddressKey } from './label-registry';

function thrown(fn: () => unknown): FundflowError {
  try {
    fn();
  } catch (e) {
    if (isFundflowError(e)) return e;
    throw e;
  }
  throw new Error('expected a FundflowError');
}

function makePack(name: string, labels: Omit<Label, 'pack' | 'source' | 'asOf'>[], seed = name): LabelPack {
  const full = labels.map((l) => ({ ...l, pack: name, source: `${name} source`, asOf: '2024-01-01' }));
  return {
    info: { name, source: `${name} source`, asOf: '2024-01-01', sha256: sha256Hex(seed), count: full.length },
    labels: full,
  };
}

const EVM = '0x8589427373D6D84E98730D7795D8f6f8731FDA16';
const BECH32 = 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6';
const BASE58 = '1Archive1n2C579dMsAu3iC6tWzuQJz8dN';

describe('labelAddressKey', () => {
  it.each([
    [EVM, EVM.toLowerCase()],
    [BECH32.toUpperCase(), BECH32],
    ['TB1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KXPJZSX', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'],
    ['LTC1QG82TXQ8VTMT0G5TQ0P7VJ2C4P8QKWF4M9Z4A8W', 'ltc1qg82txq8vtmt0g5tq0p7vj2c4p8qkwf4m9z4a8w'],
    [BASE58, BASE58],
    ['NC4C6PSUW5CLTDT3ATV6WKLTKMKJRHYBGGMLTBT7', 'NC4C6PSUW5CLTDT3ATV6WKLTKMKJRHYBGGMLTBT7'],
    ['0x1234', '0x1234'],
  ])('%s → %s', (address, key) => {
    expect(labelAddressKey(address)).toBe(key);
  });
});

describe('LabelRegistry', () => {
  const registry = new LabelRegistry();
  registry.addPack(
    makePack('alpha', [
      { chain: 'ethereum', address: EVM.toLowerCase(), name: 'Tornado', category: 'mixer', confidence: 'medium' },
      { chain: 'bitcoin', address: BECH32, name: 'Exchange', category: 'exchange', confidence: 'low' },
      { chain: 'bitcoin', address: BASE58, name: 'Archive', category: 'service', confidence: 'high' },
      { chain: '*', address: EVM, name: 'OFAC (USDT)', category: 'sanctioned', confidence: 'high' },
    ]),
  );

  it('matches EVM addresses ignoring case, on their chain and on *', () => {
    expect(registry.lookup('ethereum', EVM.toUpperCase().replace('0X', '0x')).map((l) => l.name)).toEqual([
      'OFAC (USDT)',
      'Tornado',
    ]);
    expect(registry.lookup('tron', EVM).map((l) => l.name)).toEqual(['OFAC (USDT)']);
  });

  it('matches bech32 addresses ignoring case, base58 addresses exactly', () => {
    expect(registry.lookup('bitcoin', BECH32.toUpperCase()).map((l) => l.name)).toEqual(['Exchange']);
    expect(registry.lookup('bitcoin', BASE58).map((l) => l.name)).toEqual(['Archive']);
    expect(registry.lookup('bitcoin', BASE58.toLowerCase())).toEqual([]);
  });

  it('does not match across chains', () => {
    expect(registry.lookup('litecoin', BECH32)).toEqual([]);
    expect(registry.lookup('bitcoin', EVM).map((l) => l.chain)).toEqual(['*']);
  });

  it('returns copies with full provenance', () => {
    const [label] = registry.lookup('bitcoin', BASE58);
    expect(label).toEqual({
      chain: 'bitcoin',
      address: BASE58,
      name: 'Archive',
      category: 'service',
      pack: 'alpha',
      source: 'alpha source',
      asOf: '2024-01-01',
      confidence: 'high',
    });
    if (label) label.name = 'changed';
    expect(registry.lookup('bitcoin', BASE58)[0]?.name).toBe('Archive');
  });

  it('orders results the same whatever order packs were added in: confidence, then pack, then name', () => {
    const a = makePack('a-pack', [
      { chain: 'bitcoin', address: '1X', name: 'Zed', category: 'exchange', confidence: 'low' },
      { chain: 'bitcoin', address: '1X', name: 'Bee', category: 'exchange', confidence: 'high' },
    ]);
    const b = makePack('b-pack', [
      { chain: '*', address: '1X', name: 'Any', category: 'sanctioned', confidence: 'high' },
      { chain: 'bitcoin', address: '1X', name: 'Aye', category: 'other', confidence: 'medium' },
    ]);
    const one = new LabelRegistry();
    one.addPack(a);
    one.addPack(b);
    const two = new LabelRegistry();
    two.addPack(b);
    two.addPack(a);
    const expected = ['a-pack/Bee', 'b-pack/Any', 'b-pack/Aye', 'a-pack/Zed'];
    expect(one.lookup('bitcoin', '1X').map((l) => `${l.pack}/${l.name}`)).toEqual(expected);
    expect(two.lookup('bitcoin', '1X')).toEqual(one.lookup('bitcoin', '1X'));
    expect(two.packs()).toEqual(one.packs());
    expect(one.packs().map((p) => p.name)).toEqual(['a-pack', 'b-pack']);
  });

  it('ignores a pack added twice, rejects another pack with the same name', () => {
    const r = new LabelRegistry();
    const pack = makePack('p', [{ chain: 'bitcoin', address: '1X', name: 'x', category: 'other', confidence: 'low' }]);
    r.addPack(pack);
    r.addPack(pack);
    expect(r.lookup('bitcoin', '1X')).toHaveLength(1);
    const other = makePack('p', [], 'different bytes');
    expect(thrown(() => r.addPack(other)).code).toBe('INVALID_ARGUMENT');
  });

  it('shows a fact listed twice in one pack once', () => {
    const r = new LabelRegistry();
    const label = { chain: 'bitcoin', address: '1X', name: 'x', category: 'other', confidence: 'low' } as const;
    r.addPack(makePack('p', [label, label]));
    expect(r.lookup('bitcoin', '1X')).toHaveLength(1);
  });

  const good = () =>
    makePack('p', [{ chain: 'bitcoin', address: '1X', name: 'x', category: 'other', confidence: 'low' }]);
  const broken: [string, (p: LabelPack) => void][] = [
    [
      'a count that does not match',
      (p) => {
        p.info.count = 5;
      },
    ],
    [
      'a bad sha256',
      (p) => {
        p.info.sha256 = 'abc';
      },
    ],
    [
      'a bad asOf',
      (p) => {
        p.info.asOf = '2024/01/01';
      },
    ],
    [
      'an empty source',
      (p) => {
        p.info.source = ' ';
      },
    ],
    [
      'a label of another pack',
      (p) => {
        (p.labels[0] as Label).pack = 'q';
      },
    ],
    [
      'an unknown category',
      (p) => {
        (p.labels[0] as Label).category = 'casino' as Label['category'];
      },
    ],
    [
      'an unknown confidence',
      (p) => {
        (p.labels[0] as Label).confidence = 'sure' as Label['confidence'];
      },
    ],
    [
      'an uppercase chain',
      (p) => {
        (p.labels[0] as Label).chain = 'Bitcoin';
      },
    ],
    [
      'an empty address',
      (p) => {
        (p.labels[0] as Label).address = '';
      },
    ],
  ];
  it.each(broken)('rejects a pack with %s (INVALID_ARGUMENT) and keeps nothing of it', (_what, breakIt) => {
    const r = new LabelRegistry();
    const pack = good();
    breakIt(pack);
    expect(thrown(() => r.addPack(pack)).code).toBe('INVALID_ARGUMENT');
    expect(r.packs()).toEqual([]);
    expect(r.lookup('bitcoin', '1X')).toEqual([]);
  });
});
