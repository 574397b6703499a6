import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EsploraSource } from '@fundflow/bitcoin';
import { parseCaseFile, replaying } from '@fundflow/core';
import { loadCassette } from '@fundflow/core/node';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { ROOT } from '../helpers';

// The Esplora source runs the shared ChainSource suite over the simulated case's recorded cassette.
const dir = join(ROOT, 'fixtures/sim-utxo-exchange-drain');
const caseFile = parseCaseFile(readFileSync(join(dir, 'case.json'), 'utf8'));
const trace = JSON.parse(readFileSync(join(dir, 'expected.trace.json'), 'utf8')) as {
  transactions: { txid: string }[];
};
const seed = caseFile.trace.seeds[0]!;

describeChainSourceConformance('esplora over fixtures/sim-utxo-exchange-drain', {
  create: async () =>
    new EsploraSource({
      baseUrl: caseFile.source.endpoint,
      network: 'regtest',
      transport: replaying(await loadCassette(join(dir, 'cassette'))),
    }),
  validAddresses: [seed, [seed.toUpperCase(), seed]],
  invalidAddresses: [
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    'bcrt1qxyz',
    '',
  ],
  utxo: { txid: trace.transactions[0]!.txid, historyAddress: seed },
});
