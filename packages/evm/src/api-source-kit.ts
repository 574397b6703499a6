import {
  FundflowError,
  isFundflowError,
  redactText,
  replaceSecrets,
  type Transfer,
  type TransferQuery,
} from '@fundflow/core';

/** A transport error with the key scrubbed from its message and details (custom transports may not redact). */
export function scrubSecrets(e: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0 || !isFundflowError(e)) return e;
  const details = JSON.parse(replaceSecrets(JSON.stringify(e.details), secrets)) as Record<string, unknown>;
  // No `cause`: the original still holds the key.
  return new FundflowError(e.code, redactText(e.message, secrets), { details });
}

/**
 * An API's base URL, checked: http(s), no credentials, query or fragment (a key goes in `apiKey`, so it can be kept out
 * of every record); without trailing slashes. `INVALID_ARGUMENT` names the source.
 * @example apiBaseUrl('https://api.etherscan.io/v2/api/', 'Etherscan') // 'https://api.etherscan.io/v2/api'
 */
export function apiBaseUrl(baseUrl: string, source: string): string {
  const invalid = (message: string, details: Record<string, unknown>) =>
    new FundflowError('INVALID_ARGUMENT', `${source} source: ${message}`, { details });
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid('baseUrl is not a URL', {});
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`baseUrl must be http(s), not ${url.protocol}`, { protocol: url.protocol });
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw invalid('baseUrl must not carry credentials, a query or a fragment (give the key as apiKey)', {
      base: `${url.origin}${url.pathname}`,
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A query's direction and time filter over an API's rows: 0-value native transfers (fee carriers) only for 'out'. */
export function wantedTransfer(t: Transfer, address: string, query: TransferQuery): boolean {
  if (query.since !== undefined && t.time < query.since) return false;
  if (query.until !== undefined && t.time > query.until) return false;
  if (query.direction === 'out') return t.from === address;
  return t.to === address && t.amount > 0n;
}
