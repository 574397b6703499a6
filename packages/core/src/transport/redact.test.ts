import { describe, expect, it } from 'vitest';
import { redactHeaders, redactText, redactUrl, replaceSecrets, requestSecrets } from './redact';

describe('redactUrl', () => {
  it.each([
    [
      'https://api.etherscan.io/v2/api?chainid=1&apikey=ABC&module=account',
      'https://api.etherscan.io/v2/api?chainid=1&apikey=***&module=account',
    ],
    [
      'https://x.io/a?APIKEY=1&Api_Key=2&api-key=3&key=4&Token=5&access_token=6&auth=7&password=8&secret=9&keep=10',
      'https://x.io/a?APIKEY=***&Api_Key=***&api-key=***&key=***&Token=***&access_token=***&auth=***&password=***&secret=***&keep=10',
    ],
    ['http://user:pa%40ss@127.0.0.1:8332/wallet/w?x=1', 'http://127.0.0.1:8332/wallet/w?x=1'],
    ['https://eth-mainnet.g.alchemy.com/v2/ALCHEMYKEY123', 'https://eth-mainnet.g.alchemy.com/v2/***'],
    ['https://x.io/a?q=ALCHEMYKEY123#frag', 'https://x.io/a?q=***#frag'],
    ['https://x.io/a?flag&b=', 'https://x.io/a?flag&b='],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url, ['ALCHEMYKEY123'])).toBe(expected);
  });

  it('replaces percent-encoded forms of a secret', () => {
    expect(redactUrl('https://x.io/p?x=a%2Bb%2Fc%3D%3D&y=a+b/c==', ['a+b/c=='])).toBe('https://x.io/p?x=***&y=***');
  });

  it('falls back to text redaction for something that is not an absolute URL', () => {
    expect(redactUrl('/v2/api?apikey=ABC', [])).toBe('/v2/api?apikey=***');
  });
});

describe('redactText', () => {
  it('removes listed secrets, secret params in embedded URLs and userinfo', () => {
    const text = 'GET https://u:pw@x.io/a?b=1&token=T0K3N failed: {"key":"LISTED_SECRET"} "LISTED_SECRET"';
    expect(redactText(text, ['LISTED_SECRET'])).toBe('GET https://x.io/a?b=1&token=*** failed: {"key":"***"} "***"');
  });

  it('replaces a secret as it appears JSON-escaped', () => {
    expect(redactText(JSON.stringify({ k: 'a"b\\c' }), ['a"b\\c'])).toBe('{"k":"***"}');
  });

  it('replaces the longest secret first', () => {
    expect(replaceSecrets('abcdef abc', ['abc', 'abcdef'])).toBe('*** ***');
  });

  it('leaves look-alike params alone in bodies (replaceSecrets)', () => {
    expect(replaceSecrets('{"next":"/x?token=0xabc"}', ['OTHER'])).toBe('{"next":"/x?token=0xabc"}');
  });
});

describe('redactHeaders', () => {
  it('drops credential headers and headers holding a listed secret', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer x',
          'X-API-Key': 'k',
          Cookie: 'c',
          accept: 'application/json',
          'x-custom': 'has SECRET1 in it',
        },
        ['SECRET1'],
      ),
    ).toEqual({ accept: 'application/json' });
  });
});

describe('requestSecrets', () => {
  it('collects credentials a request carries, ignoring values too short to be keys', () => {
    const found = requestSecrets(
      {
        url: 'https://bob:hunter2hunter2@x.io/a?apikey=ETHERSCANKEY1&key=1&page=2',
        headers: { authorization: 'Bearer BEARER-TOKEN', accept: 'x' },
      },
      ['LISTED'],
    );
    expect(found.sort()).toEqual(
      ['BEARER-TOKEN', 'Bearer BEARER-TOKEN', 'ETHERSCANKEY1', 'LISTED', 'hunter2hunter2'].sort(),
    );
  });
});
