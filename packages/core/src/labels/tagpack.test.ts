import { describe, expect, it } from 'vitest';
import { type FundflowError, isFundflowError } from '../errors';
import type { Confidence, LabelCategory } from '../types';
import { sha256Hex } from '../util/hash';
import { parseTagPack } from './tagpack';

function thrown(fn: () => unknown): FundflowError {
  try {
    fn();
  } catch (e) {
    if (isFundflowError(e)) return e;
    throw e;
  }
  throw new Error('expected a FundflowError');
}

// Shaped like graphsense-tagpacks packs/address/ofac.yaml and the README's "Third TagPack Example".
const THIRD_EXAMPLE = `---
title: Third TagPack Example
creator: John Doe
description: A collection of tags commonly used for demonstrating GraphSense features
is_public: true
lastmod: 2019-03-15
label: Internet Archive
source: https://archive.org/donate/cryptocurrency
category: organization
confidence: ownership
tags:
  - address: 1Archive1n2C579dMsAu3iC6tWzuQJz8dN
    currency: BTC
  - address: 0xFA8E3920daF271daB92Be9B87d9998DDd94FEF08
    currency: ETH
  - address: t1ZmpK4QFcvyQZ3ghTgSboBW8b4HgiZHQF9
    currency: ZEC
    lastmod: 2019-04-16
    label: Internet Archive (Zcash)
    confidence: web_crawl
`;

describe('parseTagPack', () => {
  it('inherits header fields into tags, lets tags override them, and keeps unquoted 0x addresses as text', () => {
    const pack = parseTagPack(THIRD_EXAMPLE);
    expect(pack.info).toEqual({
      name: 'third-tagpack-example',
      title: 'Third TagPack Example',
      source: 'https://archive.org/donate/cryptocurrency',
      asOf: '2019-03-15',
      sha256: sha256Hex(THIRD_EXAMPLE),
      count: 3,
    });
    expect(pack.labels).toEqual([
      {
        chain: 'bitcoin',
        address: '1Archive1n2C579dMsAu3iC6tWzuQJz8dN',
        name: 'Internet Archive',
        category: 'other',
        pack: 'third-tagpack-example',
        source: 'https://archive.org/donate/cryptocurrency',
        asOf: '2019-03-15',
        confidence: 'high',
      },
      {
        chain: 'ethereum',
        address: '0xFA8E3920daF271daB92Be9B87d9998DDd94FEF08',
        name: 'Internet Archive',
        category: 'other',
        pack: 'third-tagpack-example',
        source: 'https://archive.org/donate/cryptocurrency',
        asOf: '2019-03-15',
        confidence: 'high',
      },
      {
        chain: 'zcash',
        address: 't1ZmpK4QFcvyQZ3ghTgSboBW8b4HgiZHQF9',
        name: 'Internet Archive (Zcash)',
        category: 'other',
        pack: 'third-tagpack-example',
        source: 'https://archive.org/donate/cryptocurrency',
        asOf: '2019-04-16',
        confidence: 'low',
      },
    ]);
  });

  it('reads header fields written under `header:` and names the pack from options.name', () => {
    const pack = parseTagPack(
      'header:\n  title: H\n  creator: C\n  currency: LTC\n  lastmod: 2021-1-5\n  source: s\ntags:\n  - address: LaYUy1DGfVSuSF5KbPhbLrm8kRotqiwUJn\n    label: x\n',
      { name: 'my-file' },
    );
    expect(pack.info).toMatchObject({ name: 'my-file', title: 'H', asOf: '2021-01-05', source: 's' });
    expect(pack.labels[0]).toMatchObject({ chain: 'litecoin', pack: 'my-file', asOf: '2021-01-05', confidence: 'low' });
  });

  it('names the pack source after title and creator when the header has no source, dates it by its newest tag', () => {
    const pack = parseTagPack(
      'title: T\ncreator: Jane\ncurrency: BTC\ntags:\n' +
        '  - {address: 1A, label: a, source: s1, lastmod: "2020-01-01T10:00:00Z"}\n' +
        '  - {address: 1B, label: b, source: s2, lastmod: 2022-06-30}\n',
    );
    expect(pack.info.source).toBe('GraphSense TagPack "T" by Jane');
    expect(pack.info.asOf).toBe('2022-06-30');
    expect(pack.labels.map((l) => l.asOf)).toEqual(['2020-01-01', '2022-06-30']);
  });

  const categoryCases: [string, LabelCategory][] = [
    ['category: exchange', 'exchange'],
    ['category: mixing_service', 'mixer'],
    ['category: coinjoin', 'mixer'],
    ['category: defi_bridge', 'bridge'],
    ['category: perpetrator', 'attacker'],
    ['category: hacker', 'attacker'],
    ['category: user\n    abuse: scam', 'attacker'],
    ['abuse: ransomware', 'attacker'],
    ['category: user\n    abuse: sanction', 'sanctioned'],
    ['category: exchange\n    abuse: sanction', 'sanctioned'],
    ['category: exchange\n    abuse: scam', 'exchange'],
    ['category: victim', 'victim'],
    ['category: defi_dex', 'service'],
    ['category: gambling', 'service'],
    ['category: organization', 'other'],
    ['category: something_new', 'other'],
    ['concepts: [user, mixing_service]', 'mixer'],
    ['is_cluster_definer: true', 'other'],
  ];
  it.each(categoryCases)('maps %j to %s', (fields, category) => {
    const yaml = `title: T\ncreator: C\ncurrency: BTC\nlastmod: 2024-01-01\nsource: s\ntags:\n  - address: 1A\n    label: x\n    ${fields}\n`;
    expect(parseTagPack(yaml).labels[0]?.category).toBe(category);
  });

  const confidenceCases: [string, Confidence][] = [
    ['ownership', 'high'],
    ['override', 'high'],
    ['manual_transaction', 'high'],
    ['service_api', 'high'],
    ['authority_data', 'high'],
    ['trusted_provider', 'medium'],
    ['service_data', 'medium'],
    ['forensic', 'medium'],
    ['untrusted_transaction', 'medium'],
    ['web_crawl', 'low'],
    ['heuristic', 'low'],
    ['unknown', 'low'],
    ['medium', 'medium'],
  ];
  it.each(confidenceCases)('maps confidence %s to %s', (id, confidence) => {
    const yaml = `title: T\ncreator: C\ncurrency: BTC\nlastmod: 2024-01-01\nsource: s\nconfidence: ${id}\ntags:\n  - {address: 1A, label: x}\n`;
    expect(parseTagPack(yaml).labels[0]?.confidence).toBe(confidence);
  });

  const chainCases: [string, string][] = [
    ['currency: BTC', 'bitcoin'],
    ['currency: ltc', 'litecoin'],
    ['currency: BCH', 'bitcoin-cash'],
    ['currency: ZEC', 'zcash'],
    ['currency: TRX', 'tron'],
    ['currency: XEM', 'nem'],
    ['currency: ETH', 'ethereum'],
    ['currency: USDT\n    network: TRX', 'tron'],
    ['currency: USDT', '*'],
    ['currency: ETH\n    network: ARB', 'arbitrum'],
  ];
  it.each(chainCases)('maps %j to chain %s (network before currency)', (fields, chain) => {
    const yaml = `title: T\ncreator: C\nlastmod: 2024-01-01\nsource: s\ntags:\n  - address: 1A\n    label: x\n    ${fields}\n`;
    expect(parseTagPack(yaml).labels[0]?.chain).toBe(chain);
  });

  it('skips transaction tags that label no address', () => {
    const pack = parseTagPack(
      'title: T\ncreator: C\ncurrency: BTC\nlastmod: 2024-01-01\nsource: s\ntags:\n  - {tx_hash: abcd, label: x}\n  - {address: 1A, label: y}\n',
    );
    expect(pack.labels.map((l) => l.address)).toEqual(['1A']);
    expect(pack.info.count).toBe(1);
  });

  const head = 'title: T\ncreator: C\ncurrency: BTC\nlastmod: 2024-01-01\nsource: s\ntags:\n';
  const bad: [string, string, Record<string, unknown>][] = [
    ['invalid YAML', 'title: T\ncreator: C\n\ttags: []\n', { line: 3 }],
    ['duplicate keys', 'title: a\ntitle: b\n', { line: 2 }],
    ['not a mapping', '- a\n- b\n', {}],
    ['no title', 'creator: C\ntags: []\n', { field: 'title' }],
    ['no creator', 'title: T\ntags: []\n', { field: 'creator' }],
    ['no tags', 'title: T\ncreator: C\n', { field: 'tags' }],
    [
      'tag without address',
      `${head}  - {address: 1A, label: x}\n  - label: y\n`,
      { tag: 1, line: 8, field: 'address' },
    ],
    ['tag without label', `${head}  - address: 1A\n`, { tag: 0, line: 7, field: 'label' }],
    [
      'tag without source',
      'title: T\ncreator: C\ncurrency: BTC\nlastmod: 2024-01-01\ntags:\n  - {address: 1A, label: x}\n',
      { field: 'source' },
    ],
    [
      'tag without currency',
      'title: T\ncreator: C\nsource: s\nlastmod: 2024-01-01\ntags:\n  - {address: 1A, label: x}\n',
      { field: 'network' },
    ],
    ['unknown currency', `${head}  - {address: 1A, label: x, currency: FOO}\n`, { field: 'network' }],
    [
      'tag without lastmod',
      'title: T\ncreator: C\ncurrency: BTC\nsource: s\ntags:\n  - {address: 1A, label: x}\n',
      { field: 'lastmod' },
    ],
    ['bad lastmod', `${head}  - {address: 1A, label: x, lastmod: yesterday}\n`, { field: 'lastmod' }],
    ['unknown confidence', `${head}  - {address: 1A, label: x, confidence: very_sure}\n`, { field: 'confidence' }],
    ['label that is a list', `${head}  - {address: 1A, label: [a, b]}\n`, { field: 'label' }],
    ['title without letters for a name', 'title: "!!!"\ncreator: C\ntags: []\n', { field: 'title' }],
  ];
  it.each(bad)('rejects %s with INVALID_ARGUMENT', (_what, yaml, details) => {
    const e = thrown(() => parseTagPack(yaml));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.details).toMatchObject(details);
  });

  it('checks options.sha256 against the text', () => {
    expect(thrown(() => parseTagPack(THIRD_EXAMPLE, { sha256: sha256Hex('x') })).code).toBe('INVALID_ARGUMENT');
    expect(parseTagPack(THIRD_EXAMPLE, { sha256: sha256Hex(THIRD_EXAMPLE) }).info.count).toBe(3);
  });
});
