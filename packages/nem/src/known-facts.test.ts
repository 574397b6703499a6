import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvPack, serializeCsvPack } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { normalizeNemAddress } from './address';
import { buildKnownFactsPack } from './known-facts';

const PACK = fileURLToPath(new URL('../labels/coincheck-2018-known-facts.csv', import.meta.url));
const FACTS = fileURLToPath(
  new URL('../../../../shared/realdata/incidents/coincheck-2018-nem-known-facts.csv', import.meta.url),
);

describe('coincheck-2018 known-facts pack', () => {
  const pack = parseCsvPack(readFileSync(PACK, 'utf8'));

  it('labels the real hot wallet, attacker and downstream accounts with source and confidence', () => {
    const by = new Map(pack.labels.map((l) => [l.address, l]));
    expect(by.get('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ')).toMatchObject({
      category: 'victim',
      confidence: 'high',
    });
    expect(by.get('NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG')).toMatchObject({
      category: 'attacker',
      confidence: 'high',
    });
    expect(by.get('NCVGXTCV7YYGCUTOWRSEALEVHVTDFRJ54BQYDKTI')).toMatchObject({ category: 'other', confidence: 'low' });
    expect(pack.labels).toHaveLength(14);
    for (const l of pack.labels) {
      expect(normalizeNemAddress(l.address)).toBe(l.address);
      expect(l.source).toMatch(/\S/);
      expect(l.asOf).toBe('2018-01-26');
    }
  });

  it.skipIf(!existsSync(FACTS))('is exactly what the build script makes from the facts file', () => {
    expect(serializeCsvPack(buildKnownFactsPack(readFileSync(FACTS, 'utf8')))).toBe(readFileSync(PACK, 'utf8'));
  });

  it('rejects a facts row whose address fails the checksum', () => {
    const csv =
      'incident,chain,kind,value,role,amount,time,block,source,confidence,note\n' +
      'x,nem,address,NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OH,attacker: x,,,,somewhere,high,\n';
    expect(() => buildKnownFactsPack(csv)).toThrow(/checksum/);
  });
});

if (!existsSync(FACTS)) console.warn(`skipping the rebuild check: ${FACTS} is absent`);
