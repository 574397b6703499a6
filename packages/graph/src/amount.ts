import type { PolicyName } from '@fundflow/core';

/**
 * Base units → decimal text with thousands separators, exactly (bigint arithmetic, no floats, no locale).
 * @example formatUnits('150000000', 8) === '1.5'; formatUnits(1234567n, 0) === '1,234,567'
 */
export function formatUnits(units: string | bigint, decimals: number): string {
  let v = BigInt(units);
  const negative = v < 0n;
  if (negative) v = -v;
  const scale = 10n ** BigInt(decimals);
  const whole = (v / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = decimals > 0 ? (v % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Sum of decimal-string amounts as a bigint. @example sumUnits(['1', '2']) === 3n */
export function sumUnits(values: Iterable<string | bigint>): bigint {
  let s = 0n;
  for (const v of values) s += BigInt(v);
  return s;
}

/** Key of a per-policy attribute. @example policyKey('taint', 'fifo') === 'taint_fifo' */
export function policyKey<Prefix extends string>(prefix: Prefix, policy: PolicyName): `${Prefix}_${PolicyName}` {
  return `${prefix}_${policy}`;
}
