import { FundflowError } from '@fundflow/core';

const COIN_DECIMALS = 8;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Exact satoshis of a coin amount written as a JSON number (`50.00000000`, `0.1`, `21`), without going through a
 * float. Bitcoin Core writes amounts with 8 decimals; more digits are accepted only when they are zeros.
 * Throws `BAD_RESPONSE` for text that is not a plain decimal (exponents, NaN) or has sub-satoshi digits.
 * @example coinsToSatoshi('0.00000546') === 546n
 */
export function coinsToSatoshi(text: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (m === null) throw badAmount(text, 'it is not a plain decimal number');
  const [, sign, whole, fraction = ''] = m;
  if (/[1-9]/.test(fraction.slice(COIN_DECIMALS))) throw badAmount(text, 'it has digits below one satoshi');
  const sats = BigInt(whole!) * 10n ** BigInt(COIN_DECIMALS) + BigInt(fraction.slice(0, COIN_DECIMALS).padEnd(8, '0'));
  return sign === '-' ? -sats : sats;
}

/**
 * JSON text in which every number that is the value of one of `keys` is turned into a string holding the number's
 * exact source text, so `JSON.parse` never rounds it (Node 20's JSON.parse has no access to the source text).
 * Walks the text as JSON tokens: strings (with escapes) are skipped whole, so a key is only a key.
 * @example quoteNumbersOf('{"value": 0.1, "n": 0}', ['value']) === '{"value": "0.1", "n": 0}'
 */
export function quoteNumbersOf(text: string, keys: readonly string[]): string {
  const wanted = new Set(keys);
  let out = '';
  let copied = 0;
  let lastString: string | undefined;
  let afterKey = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      lastString = text.slice(i + 1, end);
      afterKey = false;
      i = end + 1;
      continue;
    }
    if (c === ':') {
      afterKey = lastString !== undefined && wanted.has(lastString);
      lastString = undefined;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end++;
      if (afterKey) {
        out += `${text.slice(copied, i)}"${text.slice(i, end)}"`;
        copied = end;
      }
      afterKey = false;
      lastString = undefined;
      i = end;
      continue;
    }
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      afterKey = false;
      if (c !== ',' && c !== '}' && c !== ']') lastString = undefined;
    }
    i++;
  }
  return out + text.slice(copied);
}

// Index of the closing quote of the string opening at `start`; the end of the text when it is unterminated.
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i;
    else i++;
  }
  return text.length;
}

function badAmount(text: string, why: string): FundflowError {
  return new FundflowError('BAD_RESPONSE', `amount '${text.slice(0, 40)}' is not an exact coin value: ${why}`, {
    details: { amount: text.slice(0, 40) },
  });
}
