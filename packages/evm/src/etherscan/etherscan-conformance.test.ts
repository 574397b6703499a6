import { Cassette, recording, replaying } from '@fundflow/core';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { EtherscanSource } from './etherscan-source';
import { FakeEtherscan } from './testdata/fake-etherscan';
import { ATTACKER, DRAIN, VICTIM } from './testdata/ledger';

// The shared ChainSource suite over a cassette recorded from the hand-written Etherscan answers (testdata/): every
// page of the attacker's outgoing and incoming transfers, recorded with a key, replayed without one.
const KEY = 'CONFORMANCEKEY0123456789ABCDEF';
const cassette = new Cassette();
const recorder = new EtherscanSource({
  chain: 'ethereum',
  apiKey: KEY,
  transport: recording(new FakeEtherscan(DRAIN), cassette),
});
for (const direction of ['out', 'in'] as const) {
  let cursor: string | undefined;
  do {
    const page = await recorder.getTransfers({ address: ATTACKER, direction, ...(cursor ? { cursor } : {}) });
    cursor = page.next;
  } while (cursor !== undefined);
}
const { cassette: text, manifest } = cassette.serialize();
if (text.includes(KEY)) throw new Error('the recorded cassette holds the API key');

describeChainSourceConformance('etherscan (hand-written drain cassette)', {
  create: () => new EtherscanSource({ chain: 'ethereum', transport: replaying(Cassette.parse(text, manifest)) }),
  validAddresses: [ATTACKER, [ATTACKER.toLowerCase(), ATTACKER], [`0x${VICTIM.slice(2).toUpperCase()}`, VICTIM]],
  invalidAddresses: [
    ATTACKER.replace(/[a-f]/, (c) => c.toUpperCase()),
    ATTACKER.slice(0, 41),
    'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG',
    '',
  ],
  account: { address: ATTACKER },
});
