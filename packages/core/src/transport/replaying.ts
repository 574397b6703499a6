import { FundflowError } from '../errors';
import type { Cassette } from './cassette';
import { type CassetteEntry, responseFromEntry } from './cassette-entry';
import { redactText, redactUrl, requestSecrets } from './redact';
import { canonicalRequest, requestKey } from './request-key';
import type { Transport, TransportRequest, TransportResponse, TransportStats } from './types';

export interface ReplayingOptions {
  /** The secrets given when recording, if any was part of a URL path; needed to compute the same keys. */
  secrets?: readonly string[];
}

/**
 * Offline transport answering from a cassette (verified when it was loaded). A request that was not recorded throws
 * FIXTURE_MISSING naming it.
 * @example
 *   const transport = replaying(await loadCassette('fixtures/esplora-hop/cassette'));
 */
export function replaying(cassette: Cassette, options: ReplayingOptions = {}): Transport {
  const secrets = options.secrets ?? [];
  const stats: TransportStats = { sent: 0, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 };
  // A body-less GET whose URL is exactly an entry's has that entry's canonical text (the text depends on nothing
  // else), so most look-ups are one map look-up by the raw URL, built here.
  const getByUrl = new Map<string, CassetteEntry>();
  for (const entry of cassette.values()) {
    if (entry.request.method === 'GET' && entry.request.body === undefined) getByUrl.set(entry.request.url, entry);
  }
  // The others (POST bodies, a URL written differently, a redacted secret) by canonical text, which skips a sha256
  // per request; built on the first such request (canonicalising every entry costs as much as a short replay).
  let byCanonical: Map<string, CassetteEntry> | undefined;
  const canonicalIndex = (): Map<string, CassetteEntry> => {
    if (byCanonical === undefined) {
      byCanonical = new Map();
      for (const entry of cassette.values()) byCanonical.set(canonicalRequest(entry.request, secrets), entry);
    }
    return byCanonical;
  };
  const answer = (request: TransportRequest, signal?: AbortSignal): TransportResponse => {
    let entry =
      (request.method === 'GET' && request.body === undefined ? getByUrl.get(request.url) : undefined) ??
      canonicalIndex().get(canonicalRequest(request, secrets));
    if (entry === undefined) {
      const key = requestKey(request, secrets);
      entry = cassette.get(key);
      if (entry === undefined) throw missing(request, key, secrets);
    }
    if (signal?.aborted) {
      throw new FundflowError('ABORTED', `${entry.request.method} ${entry.request.url} was aborted`, {
        details: { method: entry.request.method, url: entry.request.url },
      });
    }
    return responseFromEntry(entry, request.expect);
  };
  return {
    async request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse> {
      return answer(request, signal);
    },
    requestNow: (request: TransportRequest) => answer(request),
    stats: () => ({ ...stats }),
  };
}

function missing(request: TransportRequest, key: string, secrets: readonly string[]): FundflowError {
  const all = requestSecrets(request, secrets);
  const url = redactUrl(request.url, all);
  const body = request.body === undefined ? undefined : redactText(request.body, all).slice(0, 300);
  const what = `${request.method} ${url}${body === undefined ? '' : ` ${body}`}`;
  return new FundflowError(
    'FIXTURE_MISSING',
    `No recorded answer for ${what} (key ${key}); record the case again with network access, or check the request`,
    { details: { method: request.method, url, key, ...(body === undefined ? {} : { body }) } },
  );
}
