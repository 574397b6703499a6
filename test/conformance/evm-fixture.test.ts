import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaseFile, replaying } from '@fundflow/core';
import { loadCassette } from '@fundflow/core/node';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { JsonRpcSource } from '@fundflow/evm';
import type { EvmGroundTruth } from '@fundflow/evm/scenario';
import { ROOT } from '../helpers';

// The JSON-RPC source runs the shared ChainSource suite over the anvil case's recorded cassette (a real node's answers).
const dir = join(ROOT, 'fixtures/evm-anvil-exchange-drain');
const caseFile = parseCaseFile(readFileSync(join(dir, 'case.json'), 'utf8'));
const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as EvmGroundTruth;
const attacker = truth.roles.attacker;

describeChainSourceConformance('jsonrpc over fixtures/evm-anvil-exchange-drain', {
  create: async () =>
    new JsonRpcSource({
      url: caseFile.source.endpoint,
      chain: 'anvil',
      capabilities: { history: 'trace_filter', internal: 'debug_trace' },
      transport: replaying(await loadCassette(join(dir, 'cassette'))),
    }),
  validAddresses: [attacker, [attacker.toLowerCase(), attacker]],
  invalidAddresses: [
    // one checksum letter flipped in case
    attacker.replace(/[a-f]/, (c) => c.toUpperCase()),
    '0x1234',
    'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG',
    '',
  ],
  account: { address: attacker },
});
