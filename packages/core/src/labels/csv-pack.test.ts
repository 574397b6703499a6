import { describe, expect, it } from 'vitest';
import { type FundflowError, isFundflowError } from '../errors';
import type { Label } from '../types';
import { sha256Hex } from '../util/hash';
import { parseCsvPack, serializeCsvPack } from './csv-pack';

const HEAD =
  '# name: mine\n# source: my notes\n# as-of: 2024-05-01\nchain,address,name,category,source,as_of,confidence\n';

function thrown(fn: () => unknown): FundflowError {
  try {
    fn();
  } catch (e) {
    if (isFundflowError(e)) return e;
    throw e;
  }
  throw new Error('expected a FundflowError');
}

describe('parseCsvPack', () => {
  it('reads metadata, falls back to it for empty source / as_of, and hashes the text', () => {
    const text =
      '# name: mine\n# title: My labels\n# source: my notes\n# as-of: 2024-05-01\n# license: CC0\n' +
      '# this line is a comment, not metadata\n\n' +
      'chain,address,name,category,source,as_of,confidence\n' +
      'bitcoin,bc1qxyz,Kraken deposit,exchange,,,medium\n' +
      'ethereum,0xabc,Mixer,mixer,https://example.org/post,2023-01-02,low\n';
    const pack = parseCsvPack(text);
    expect(pack.info).toEqual({
      name: 'mine',
      title: 'My labels',
      source: 'my notes',
      asOf: '2024-05-01',
      license: 'CC0',
      sha256: sha256Hex(text),
      count: 2,
    });
    expect(pack.labels).toEqual<Label[]>([
      {
        chain: 'bitcoin',
        address: 'bc1qxyz',
        name: 'Kraken deposit',
        category: 'exchange',
        pack: 'mine',
        source: 'my notes',
        asOf: '2024-05-01',
        confidence: 'medium',
      },
      {
        chain: 'ethereum',
        address: '0xabc',
        name: 'Mixer',
        category: 'mixer',
        pack: 'mine',
        source: 'https://example.org/post',
        asOf: '2023-01-02',
        confidence: 'low',
      },
    ]);
  });

  it('takes a default confidence from "# confidence:" and accepts columns in any order, without optional ones', () => {
    const pack = parseCsvPack(
      '# name: m\n# source: s\n# as_of: 2024-05-01\n# confidence: high\nname,category,address,chain\nX,victim,addr1,nem\n',
    );
    expect(pack.labels[0]).toMatchObject({
      chain: 'nem',
      address: 'addr1',
      name: 'X',
      category: 'victim',
      confidence: 'high',
    });
  });

  it('handles RFC 4180 quoting: commas, doubled quotes, newlines inside quotes, CRLF', () => {
    const text =
      '# name: q\r\n# source: s\r\n# as-of: 2024-05-01\r\n' +
      'chain,address,name,category,source,as_of,confidence\r\n' +
      'bitcoin,1A,"Binance, ""cold"" wallet",exchange,"line one\r\nline two",,high\r\n' +
      'bitcoin,1B,"  spaced  ",exchange,,,high\r\n' +
      'bitcoin,1C,  trimmed  ,exchange,,,high';
    const pack = parseCsvPack(text);
    expect(pack.labels.map((l) => [l.name, l.source])).toEqual([
      ['Binance, "cold" wallet', 'line one\r\nline two'],
      ['  spaced  ', 's'],
      ['trimmed', 's'],
    ]);
  });

  it('uses options.name only when the file has no "# name:"', () => {
    const body = '# source: s\n# as-of: 2024-05-01\nchain,address,name,category,confidence\nbitcoin,1A,x,other,low\n';
    expect(parseCsvPack(body, { name: 'from-file' }).info.name).toBe('from-file');
    expect(parseCsvPack(`# name: own\n${body}`, { name: 'from-file' }).info.name).toBe('own');
  });

  it('checks options.sha256 against the text', () => {
    const text = `${HEAD}bitcoin,1A,x,other,,,low\n`;
    expect(parseCsvPack(text, { sha256: sha256Hex(text).toUpperCase() }).info.sha256).toBe(sha256Hex(text));
    const e = thrown(() => parseCsvPack(text, { sha256: sha256Hex('other') }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.details).toMatchObject({ actual: sha256Hex(text) });
  });

  it('keeps a pack with no rows', () => {
    const pack = parseCsvPack(HEAD);
    expect(pack.labels).toEqual([]);
    expect(pack.info.count).toBe(0);
  });

  // Each case: the text and the line the error must name.
  const bad: [string, string, number][] = [
    ['unknown category', `${HEAD}bitcoin,1A,x,exchange,,,high\nbitcoin,1B,x,casino,,,high\n`, 6],
    ['unknown confidence', `${HEAD}bitcoin,1A,x,exchange,,,sure\n`, 5],
    ['missing address', `${HEAD}bitcoin,,x,exchange,,,high\n`, 5],
    ['address with whitespace', `${HEAD}bitcoin,"1A 1B",x,exchange,,,high\n`, 5],
    ['missing name', `${HEAD}bitcoin,1A,,exchange,,,high\n`, 5],
    ['bad chain', `${HEAD}Bitcoin,1A,x,exchange,,,high\n`, 5],
    ['bad row date', `${HEAD}bitcoin,1A,x,exchange,,2024-02-30,high\n`, 5],
    ['too few fields', `${HEAD}bitcoin,1A,x,exchange,,high\n`, 5],
    ['too many fields', `${HEAD}bitcoin,1A,x,exchange,,,high,extra\n`, 5],
    ['unterminated quote (line of the record start)', `${HEAD}bitcoin,1A,"x\nmore\n`, 5],
    ['text after a closing quote', `${HEAD}bitcoin,1A,"x"y,exchange,,,high\n`, 5],
    ['a quote in an unquoted field', `${HEAD}bitcoin,1A,x"y,exchange,,,high\n`, 5],
    ['line counted across quoted newlines', `${HEAD}bitcoin,1A,"a\nb",exchange,,,high\nbitcoin,1B,x,nope,,,high\n`, 7],
    [
      'no confidence and no default',
      '# name: m\n# source: s\n# as-of: 2024-05-01\nchain,address,name,category\nbitcoin,1A,x,other\n',
      5,
    ],
    ['unknown column', '# name: m\n# source: s\n# as-of: 2024-05-01\nchain,address,name,category,colour\n', 4],
    ['missing required column', '# name: m\n# source: s\n# as-of: 2024-05-01\nchain,address,name\n', 4],
    ['duplicate column', '# name: m\n# source: s\n# as-of: 2024-05-01\nchain,address,name,category,name\n', 4],
    ['no header', '# name: m\n# source: s\n# as-of: 2024-05-01\n', 4],
    ['no name', '# source: s\n# as-of: 2024-05-01\nchain,address,name,category\n', 1],
    ['no source', '# name: m\n# as-of: 2024-05-01\nchain,address,name,category\n', 1],
    ['no as-of', '# name: m\n# source: s\nchain,address,name,category\n', 1],
    ['bad as-of', '# name: m\n# source: s\n# as-of: 1 May 2024\nchain,address,name,category\n', 1],
    ['bad default confidence', '# name: m\n# source: s\n# as-of: 2024-05-01\n# confidence: sure\nchain,address\n', 1],
    ['metadata key twice', '# name: m\n# name: n\n', 2],
  ];
  it.each(bad)('rejects %s with INVALID_ARGUMENT and the line', (_what, text, line) => {
    const e = thrown(() => parseCsvPack(text));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.details.line).toBe(line);
  });
});

describe('serializeCsvPack', () => {
  const info = { name: 'mine', title: 'Mine', source: 'my notes', asOf: '2024-05-01', license: 'CC0' };
  const label = (chain: string, address: string, name: string, extra: Partial<Label> = {}): Label => ({
    chain,
    address,
    name,
    category: 'exchange',
    pack: 'mine',
    source: 'my notes',
    asOf: '2024-05-01',
    confidence: 'high',
    ...extra,
  });
  const labels = [
    label('ethereum', '0xb', 'B'),
    label('bitcoin', '1B', 'Z, "quoted"', { source: 'a\nb' }),
    label('*', '0xa', 'any chain', { asOf: '2020-01-01' }),
    label('bitcoin', '1A', 'second'),
    label('bitcoin', '1A', 'first', { confidence: 'low', name: ' padded ' }),
  ];

  it('writes sorted rows, omits values equal to the pack metadata, quotes only when needed', () => {
    expect(serializeCsvPack({ info, labels })).toBe(
      '# name: mine\n# title: Mine\n# source: my notes\n# as-of: 2024-05-01\n# license: CC0\n' +
        'chain,address,name,category,source,as_of,confidence\n' +
        '*,0xa,any chain,exchange,,2020-01-01,high\n' +
        'bitcoin,1A," padded ",exchange,,,low\n' +
        'bitcoin,1A,second,exchange,,,high\n' +
        'bitcoin,1B,"Z, ""quoted""",exchange,"a\nb",,high\n' +
        'ethereum,0xb,B,exchange,,,high\n',
    );
  });

  it('gives the same bytes for any input order and round-trips through parseCsvPack', () => {
    const text = serializeCsvPack({ info, labels });
    expect(serializeCsvPack({ info, labels: [...labels].reverse() })).toBe(text);
    const parsed = parseCsvPack(text);
    expect(parsed.info).toEqual({ ...info, sha256: sha256Hex(text), count: labels.length });
    expect(serializeCsvPack(parsed)).toBe(text);
    const key = (l: Label) => JSON.stringify(l);
    expect(parsed.labels.map(key).sort()).toEqual(labels.map(key).sort());
  });

  it('refuses metadata that cannot be written on one line', () => {
    expect(thrown(() => serializeCsvPack({ info: { ...info, title: 'two\nlines' }, labels: [] })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
