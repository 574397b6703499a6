import { describeChainSourceConformance } from './conformance';
import { MemoryAccountSource, MemoryUtxoSource } from './memory-sources';

const txid = (n: number) => n.toString(16).padStart(64, '0');
const asset = { chain: 'memory-account', symbol: 'MA', decimals: 6 };

describeChainSourceConformance('memory utxo', {
  create: () =>
    new MemoryUtxoSource([
      {
        txid: txid(1),
        time: 1,
        height: 1,
        confirmed: true,
        inputs: [{ value: 50n, coinbase: true }],
        outputs: [{ vout: 0, address: 'a', value: 50n, scriptType: 'p2wpkh', hasAddress: true }],
        fee: 0n,
        evidence: ['0'.repeat(64)],
      },
      {
        txid: txid(2),
        time: 2,
        height: 2,
        confirmed: true,
        inputs: [{ outpoint: `${txid(1)}:0`, address: 'a', value: 50n, coinbase: false }],
        outputs: [{ vout: 0, address: 'b', value: 49n, scriptType: 'p2wpkh', hasAddress: true }],
        fee: 1n,
        evidence: ['1'.repeat(64)],
      },
    ]),
  validAddresses: ['a', 'b'],
  invalidAddresses: ['has space', ''],
  utxo: { txid: txid(2), missingTxid: txid(9), historyAddress: 'a' },
});

describeChainSourceConformance('memory account', {
  create: () =>
    new MemoryAccountSource(
      Array.from({ length: 25 }, (_, i) => ({
        id: `t${i}`,
        txid: `t${i}`,
        from: i % 2 ? 'alice' : 'bob',
        to: i % 2 ? 'bob' : 'alice',
        asset,
        amount: BigInt(i),
        time: 100 + i,
        height: i,
        kind: 'native' as const,
        evidence: ['2'.repeat(64)],
      })),
    ),
  validAddresses: ['alice'],
  invalidAddresses: ['Alice!', ''],
  account: { address: 'alice', since: 105, until: 120 },
});
