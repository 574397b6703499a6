import { isFundflowError } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { coinsToSatoshi, quoteNumbersOf } from './rpc-decimal';

describe('coinsToSatoshi', () => {
  it.each([
    ['50.00000000', 5_000_000_000n],
    ['0.00000001', 1n],
    ['0.1', 10_000_000n],
    ['20999999.97690000', 2_099_999_997_690_000n],
    ['21', 2_100_000_000n],
    ['0.30000000', 30_000_000n],
    ['1.000000000', 100_000_000n],
    ['-0.5', -50_000_000n],
  ])('%s → %s sat', (text, sats) => {
    expect(coinsToSatoshi(text)).toBe(sats);
  });

  it('is exact where a float is not', () => {
    // 0.29 * 1e8 = 28999999.999999996 as a float.
    expect(coinsToSatoshi('0.29')).toBe(29_000_000n);
    expect(Math.floor(0.29 * 1e8)).not.toBe(29_000_000);
  });

  it.each(['1e-8', 'NaN', '', '0.000000001', '1.2.3', '.5'])('rejects %j with BAD_RESPONSE', (text) => {
    let error: unknown;
    try {
      coinsToSatoshi(text);
    } catch (e) {
      error = e;
    }
    expect(isFundflowError(error, 'BAD_RESPONSE')).toBe(true);
  });
});

describe('quoteNumbersOf', () => {
  it('quotes only the numbers of the named keys, keeping their text', () => {
    const text =
      '[{"result":{"vout":[{"value":0.29000000,"n":0},{"value":12.5,"n":1}],"size":225},"error":null,"id":3}]';
    const parsed = JSON.parse(quoteNumbersOf(text, ['value']));
    expect(parsed[0].result.vout[0].value).toBe('0.29000000');
    expect(parsed[0].result.vout[1].value).toBe('12.5');
    expect(parsed[0].result.vout[1].n).toBe(1);
    expect(parsed[0].result.size).toBe(225);
  });

  it('leaves strings alone, even ones that look like a value key', () => {
    const text = '{"asm":"\\"value\\": 1","value" : 2.5,"k":["value", 3],"x\\"value":4}';
    const parsed = JSON.parse(quoteNumbersOf(text, ['value']));
    expect(parsed).toEqual({ asm: '"value": 1', value: '2.5', k: ['value', 3], 'x"value': 4 });
  });
});
