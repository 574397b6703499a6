import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cassette, type Label, recording, serializeCsvPack } from '@fundflow/core';
import { saveCassette } from '@fundflow/core/node';
import { addressFromPublicKey, NisSource, unixToNemTime } from '@fundflow/nem';
import { fakeNisNode, Prng } from '@fundflow/nem/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers';

const ENDPOINT = 'http://hostile-nis1.invalid:7890';
const MEMO = '<script>alert("memo")</script><img src=x onerror=alert(2)>';
const LABEL = '<img src=x onerror=alert(1)> "quoted", {{7*7}}';

describe('hostile strings in a NEM trace', () => {
  it('keeps a hostile memo and a hostile label as plain strings in the trace file', async () => {
    const rng = new Prng(99);
    const [victim, thief, next] = [rng.hex(32), rng.hex(32), rng.hex(32)];
    const address = (k: string) => addressFromPublicKey(k, 'mainnet');
    const time = Date.UTC(2018, 0, 25, 15, 30) / 1000;
    const tx = (id: number, from: string, to: string, amount: number, t: number, memo?: string) => ({
      meta: { innerHash: {}, id, hash: { data: rng.hex(32) }, height: 1_490_000 + id },
      transaction: {
        timeStamp: unixToNemTime(t),
        amount,
        fee: 100_000,
        recipient: address(to),
        type: 257,
        deadline: unixToNemTime(t) + 3600,
        message: memo === undefined ? {} : { payload: Buffer.from(memo, 'utf8').toString('hex'), type: 1 },
        version: 0x68000001,
        signer: from,
      },
    });
    const node = fakeNisNode(
      {
        network: 'mainnet',
        transactions: [
          tx(10, victim, thief, 5_000_000_000, time, MEMO),
          tx(11, thief, next, 4_000_000_000, time + 600),
        ],
        opening: new Map([[address(victim), 10_000_000_000n]]),
      },
      { baseUrl: ENDPOINT },
    );
    // Record every answer the CLI can ask for: each account's transfers both ways and its mosaics.
    const dir = mkdtempSync(join(tmpdir(), 'ff-nem-hostile-'));
    const cassette = new Cassette();
    const source = new NisSource({ baseUrl: ENDPOINT, network: 'mainnet', transport: recording(node, cassette) });
    for (const k of [victim, thief, next]) {
      await source.getTransfers({ address: address(k), direction: 'out' });
      await source.getTransfers({ address: address(k), direction: 'in' });
      await source.getLabels(address(k));
    }
    await saveCassette(join(dir, 'cassette'), cassette);
    const label: Label = {
      chain: 'nem',
      address: address(thief),
      name: LABEL,
      category: 'attacker',
      pack: 'hostile',
      source: 'javascript:alert(3)',
      asOf: '2018-01-26',
      confidence: 'low',
    };
    writeFileSync(
      join(dir, 'hostile.csv'),
      serializeCsvPack({ info: { name: 'hostile', source: 'a test', asOf: '2018-01-26' }, labels: [label] }),
    );

    const out = join(dir, 'trace.json');
    const r = await runCli([
      'trace',
      'nem',
      address(victim),
      '--since',
      '2018-01-25',
      '--endpoint',
      ENDPOINT,
      '--replay',
      join(dir, 'cassette'),
      '--labels',
      join(dir, 'hostile.csv'),
      '--no-progress',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    const trace = JSON.parse(text);
    expect(trace.transfers.find((t: { to: string }) => t.to === address(thief)).memo).toBe(MEMO);
    expect(trace.labels.find((l: { address: string }) => l.address === address(thief))).toMatchObject({
      name: LABEL,
      source: 'javascript:alert(3)',
    });
    // Written as JSON string content, exactly once each, never as anything else.
    expect(text).toContain(JSON.stringify(MEMO));
    expect(text).toContain(JSON.stringify(LABEL));
  });
});
