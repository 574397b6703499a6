/** The NEM epoch, 2015-03-29T00:06:25Z, in unix seconds: NIS1 `timeStamp` and `deadline` count from it. */
export const NEM_EPOCH = 1427587585;

/** 1 XEM = 1,000,000 micro-XEM (NIS1 amounts and fees are micro-XEM). */
export const MICRO_XEM = 1_000_000n;

/**
 * Unix seconds of a NIS1 timestamp.
 * @example nemTimeToUnix(89_304_935) // 1516892520 (2018-01-25T15:02:00Z)
 */
export function nemTimeToUnix(timeStamp: number): number {
  return timeStamp + NEM_EPOCH;
}

/**
 * NIS1 timestamp of a unix time (seconds).
 * @example unixToNemTime(Date.UTC(2018, 0, 25, 15, 2) / 1000) // 89_304_935
 */
export function unixToNemTime(unix: number): number {
  return unix - NEM_EPOCH;
}
