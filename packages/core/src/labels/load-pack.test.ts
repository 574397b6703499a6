import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFundflowError } from '../errors';
import { sha256Hex } from '../util/hash';
import { LabelRegistry } from './label-registry';
import { builtinPackPaths, loadPackFile } from './load-pack';

const dir = mkdtempSync(join(tmpdir(), 'fundflow-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    if (isFundflowError(e)) return e;
    throw e;
  }
  throw new Error('expected a FundflowError');
}

describe('loadPackFile', () => {
  it('reads a CSV pack, naming it after the file when the file does not', async () => {
    const path = join(dir, 'my-notes.csv');
    const text =
      '# source: notes\n# as-of: 2024-05-01\nchain,address,name,category,confidence\nbitcoin,1A,x,exchange,low\n';
    writeFileSync(path, text);
    const pack = await loadPackFile(path);
    expect(pack.info).toMatchObject({ name: 'my-notes', sha256: sha256Hex(text), count: 1 });
    expect(pack.labels[0]?.pack).toBe('my-notes');
  });

  it('reads a TagPack from .yaml and .yml', async () => {
    const text =
      'title: T\ncreator: C\ncurrency: XEM\nlastmod: 2018-01-26\nsource: s\ntags:\n  - {address: NC4C6P, label: hacker, category: perpetrator}\n';
    for (const file of ['coincheck.yaml', 'coincheck.YML']) {
      writeFileSync(join(dir, file), text);
      const pack = await loadPackFile(join(dir, file));
      expect(pack.info.name).toBe('coincheck');
      expect(pack.labels[0]).toMatchObject({ chain: 'nem', category: 'attacker', pack: 'coincheck' });
    }
  });

  it('says which file is bad, keeping the parser code and line', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(
      path,
      '# source: s\n# as-of: 2024-05-01\nchain,address,name,category,confidence\nbitcoin,1A,x,casino,low\n',
    );
    const e = await rejection(loadPackFile(path));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.details).toMatchObject({ path, line: 4 });
    expect(e.message).toContain(path);
  });

  it('rejects other extensions (INVALID_ARGUMENT) and missing files (NOT_FOUND)', async () => {
    const json = join(dir, 'pack.json');
    writeFileSync(json, '{}');
    expect((await rejection(loadPackFile(json))).code).toBe('INVALID_ARGUMENT');
    const missing = join(dir, 'nope.csv');
    const e = await rejection(loadPackFile(missing));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.details).toEqual({ path: missing });
  });
});

describe('builtin packs', () => {
  it('lists the bundled OFAC SDN pack as an absolute path', () => {
    const paths = builtinPackPaths();
    expect(paths.map((p) => basename(p))).toContain('ofac-sdn-2024-09-27.csv');
    for (const p of paths) expect(p.startsWith('/')).toBe(true);
  });

  it('looks up known OFAC XBT and ETH addresses (any case where the format allows) as sanctioned', async () => {
    const registry = new LabelRegistry();
    for (const path of builtinPackPaths()) registry.addPack(await loadPackFile(path));
    const ofacPath = builtinPackPaths().find((p) => basename(p) === 'ofac-sdn-2024-09-27.csv') as string;
    expect(registry.packs().find((p) => p.name === 'ofac-sdn')).toEqual({
      name: 'ofac-sdn',
      title: 'OFAC SDN list digital currency addresses (snapshot 2024-09-27)',
      source: expect.stringContaining('commit f2aee2265956bf28ce71824c2c2c8cab02c2e173'),
      asOf: '2024-09-27',
      sha256: sha256Hex(readFileSync(ofacPath, 'utf8')),
      count: 654,
      license: 'US government public information',
    });

    const xbt = [
      ['bitcoin', '123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX'],
      ['bitcoin', 'BC1Q05AKTDDF9CE4P7HH3STGSF253M4VWEU7NKHTMW'],
    ] as const;
    const eth = [
      ['ethereum', '0x01e2919679362dfbc9ee1644ba9c6da6d6245bb1'],
      ['ethereum', '0x01E2919679362DFBC9EE1644BA9C6DA6D6245BB1'],
    ] as const;
    for (const [chain, address] of [...xbt, ...eth]) {
      const labels = registry.lookup(chain, address).filter((l) => l.pack === 'ofac-sdn');
      expect(labels, `${chain} ${address}`).toHaveLength(1);
      const asset = chain === 'bitcoin' ? 'XBT' : 'ETH';
      expect(labels[0]).toMatchObject({
        chain,
        name: `OFAC SDN (${asset})`,
        category: 'sanctioned',
        confidence: 'high',
        asOf: '2024-09-27',
        source: expect.stringContaining(`'Digital Currency Address - ${asset}'`),
      });
    }
    // base58 is case-sensitive: another case is another (invalid) address.
    expect(registry.lookup('bitcoin', '123wbudmsjv4gctdvez6qq6z8nxskrj4kx')).toEqual([]);
  });

  it('files the TRON-format address OFAC tagged XBT under tron, and USDT entries under every chain', async () => {
    const registry = new LabelRegistry();
    registry.addPack(
      await loadPackFile(builtinPackPaths().find((p) => p.endsWith('ofac-sdn-2024-09-27.csv')) as string),
    );
    expect(registry.lookup('bitcoin', 'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq')).toEqual([]);
    expect(registry.lookup('tron', 'TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq')).toEqual([
      expect.objectContaining({
        name: 'OFAC SDN (XBT; TRON-format address)',
        source: expect.stringContaining('filed under tron'),
      }),
    ]);
    for (const chain of ['tron', 'ethereum', 'bsc']) {
      expect(registry.lookup(chain, 'TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR')).toEqual([
        expect.objectContaining({ chain: '*', name: 'OFAC SDN (USDT)' }),
      ]);
    }
  });
});
