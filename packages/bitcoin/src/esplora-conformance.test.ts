import { describeChainSourceConformance } from '@fundflow/core/testing';
import { EsploraSource } from './esplora-source';
import { BLOCK1_COINBASE } from './testing/block1-coinbase';
import { type CannedRoute, CannedTransport } from './testing/canned-transport';

const BASE = 'https://esplora.test/api';
const txidN = (n: number) => n.toString(16).padStart(8, '0').repeat(8);

/**
 * Block 1's coinbase (real) with its one output unspent (as it still is on mainnet), a missing txid, and a made-up
 * two-page history (26 txids) for the coinbase's p2pkh address form.
 */
function routes(historyAddress: string): Record<string, CannedRoute> {
  const chain = `${BASE}/address/${historyAddress}/txs/chain`;
  const tx = (n: number) => ({ txid: txidN(n), status: { confirmed: true, block_height: 1000 - n, block_time: n } });
  return {
    [`${BASE}/tx/${BLOCK1_COINBASE.txid}`]: { body: BLOCK1_COINBASE },
    [`${BASE}/tx/${BLOCK1_COINBASE.txid}/outspends`]: { body: [{ spent: false }] },
    [`${BASE}/tx/${txidN(7)}`]: { status: 404, body: 'Transaction not found' },
    [chain]: { body: Array.from({ length: 25 }, (_, i) => tx(i + 1)) },
    [`${chain}/${txidN(25)}`]: { body: [tx(26)] },
  };
}

describeChainSourceConformance('esplora (bitcoin)', {
  create: () =>
    new EsploraSource({
      baseUrl: 'https://user:secret@esplora.test/api/',
      network: 'bitcoin',
      transport: new CannedTransport(routes('12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX')),
    }),
  validAddresses: [
    '12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX',
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
  ],
  invalidAddresses: [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    'hello',
  ],
  utxo: { txid: BLOCK1_COINBASE.txid, missingTxid: txidN(7), historyAddress: '12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX' },
});

describeChainSourceConformance('esplora (litecoin)', {
  create: () =>
    new EsploraSource({
      baseUrl: BASE,
      network: 'litecoin',
      transport: new CannedTransport(routes('LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy')),
    }),
  validAddresses: [
    'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy',
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM'],
    ['LTC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KGMN4N9', 'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9'],
  ],
  invalidAddresses: ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', ''],
  utxo: { txid: BLOCK1_COINBASE.txid, missingTxid: txidN(7), historyAddress: 'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy' },
});
