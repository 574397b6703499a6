import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCaseFile, parseCsvPack, replaying } from '@fundflow/core';
import { loadCassette } from '@fundflow/core/node';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { addressFromPublicKey } from './address';
import { NisSource } from './nis-source';

// The shared ChainSource suite over the simulated NEM case's cassette (fixtures/nem-2018-exchange-drain).
const dir = fileURLToPath(new URL('../../../fixtures/nem-2018-exchange-drain/', import.meta.url));
const caseFile = parseCaseFile(readFileSync(`${dir}case.json`, 'utf8'));
const attacker = parseCsvPack(readFileSync(`${dir}labels.csv`, 'utf8')).labels.find((l) => l.category === 'attacker')!;
const cassette = await loadCassette(`${dir}cassette`);
const seed = caseFile.trace.seeds[0]!;
const dashed = seed
  .toLowerCase()
  .replace(/(.{6})/g, '$1-')
  .replace(/-$/, '');

describeChainSourceConformance('nis1 (simulated 2018 drain cassette)', {
  create: () =>
    new NisSource({ baseUrl: caseFile.source.endpoint, network: 'mainnet', transport: replaying(cassette) }),
  validAddresses: [seed, [dashed, seed], [attacker.address.toLowerCase(), attacker.address]],
  invalidAddresses: [
    seed.slice(0, 39) + (seed.endsWith('A') ? 'B' : 'A'),
    addressFromPublicKey('bdd8dd702acb3d88daf188be8d6d9c54b3a29a32561a068b25d2261b2b2b7f02', 'testnet'),
    '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
    '',
  ],
  account: { address: attacker.address },
});
