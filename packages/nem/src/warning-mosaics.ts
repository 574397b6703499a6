/**
 * Mosaics sent in 2018 to accounts holding XEM stolen from an exchange, so that other exchanges and users would refuse
 * them. An account that holds one is labelled `tagged` by `NisSource.getLabels`.
 * Sources: ozcn/nem-sneak chase script (mizunashi…), nemsneak enumerate-infected script (ts:…), as listed in
 * shared/realdata/incidents/coincheck-2018-nem-known-facts.csv.
 */
export const WARNING_MOSAICS: readonly string[] = [
  'mizunashi.coincheck_stolen_funds_do_not_accept_trades:owner_of_this_account_is_hacker',
  'ts:warning_dont_accept_stolen_funds',
];

/** The day the 2018 marking began (the theft was 2018-01-26 JST): default as-of date of warning-mosaic labels. */
export const WARNING_MOSAIC_MARKING_DATE = '2018-01-26';

/** Pack name of chain-supplied warning-mosaic labels. */
export const WARNING_MOSAIC_PACK = 'source:nem-warning-mosaic';

/**
 * `namespace:name` of a NIS1 mosaic id.
 * @example mosaicKey({ namespaceId: 'nem', name: 'xem' }) // 'nem:xem'
 */
export function mosaicKey(id: { namespaceId: string; name: string }): string {
  return `${id.namespaceId}:${id.name}`;
}
