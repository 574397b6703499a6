import { describeChainSourceConformance } from '@fundflow/core/testing';
import { generateScenario } from './generate-scenario';
import { SimAccountSource, SimUtxoSource } from './sim-sources';

const utxo = generateScenario({ seed: 41, model: 'utxo', size: 500 });
const account = generateScenario({ seed: 41, model: 'account', size: 500 });

describeChainSourceConformance('sim utxo', {
  create: () => new SimUtxoSource(utxo),
  validAddresses: [utxo.seedAddress, [utxo.seedAddress.toUpperCase(), utxo.seedAddress]],
  invalidAddresses: [
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    `${utxo.seedAddress.slice(0, -1)}${utxo.seedAddress.endsWith('q') ? 'p' : 'q'}`,
    'garbage',
  ],
  utxo: { txid: utxo.drainIds[0] as string, missingTxid: 'ab'.repeat(32), historyAddress: utxo.seedAddress },
});

describeChainSourceConformance('sim account', {
  create: () => new SimAccountSource(account),
  validAddresses: [account.seedAddress, [account.seedAddress.toUpperCase().replace('0X', '0x'), account.seedAddress]],
  invalidAddresses: ['0x1234', 'garbage', account.seedAddress.slice(2)],
  account: { address: account.seedAddress, since: account.since, until: account.until },
});
