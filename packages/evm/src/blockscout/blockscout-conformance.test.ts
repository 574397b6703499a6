import { Cassette, recording, replaying } from '@fundflow/core';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { BlockscoutSource } from './blockscout-source';
import { FakeBlockscout } from './testdata/fake-blockscout';
import { ATTACKER, DRAIN, EXCHANGE } from './testdata/ledger';

// The shared ChainSource suite over a cassette recorded from the hand-written Blockscout answers (testdata/), paged
// 2 items at a time so that next_page_params round trips are part of the replay.
const BASE = 'https://eth.blockscout.example';
const cassette = new Cassette();
const recorder = new BlockscoutSource({
  baseUrl: BASE,
  chain: 'ethereum',
  transport: recording(new FakeBlockscout(DRAIN, 2), cassette),
});
for (const direction of ['out', 'in'] as const) {
  let cursor: string | undefined;
  do {
    const page = await recorder.getTransfers({ address: ATTACKER, direction, ...(cursor ? { cursor } : {}) });
    cursor = page.next;
  } while (cursor !== undefined);
}
const { cassette: text, manifest } = cassette.serialize();

describeChainSourceConformance('blockscout (hand-written drain cassette)', {
  create: () =>
    new BlockscoutSource({ baseUrl: BASE, chain: 'ethereum', transport: replaying(Cassette.parse(text, manifest)) }),
  validAddresses: [ATTACKER, [ATTACKER.toLowerCase(), ATTACKER], [`0x${EXCHANGE.slice(2).toUpperCase()}`, EXCHANGE]],
  invalidAddresses: [
    ATTACKER.replace(/[a-f]/, (c) => c.toUpperCase()),
    `${ATTACKER}00`,
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '',
  ],
  account: { address: ATTACKER },
});
