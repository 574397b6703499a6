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
  // Looking up by canonical text skips a sha256 per request (most of the time a replay takes); a redacted request has
  // the canonical text of its original. The key lookup stays as the fallback for entries put after this point.
  const byCanonical = new Map<string, CassetteEntry>();
  // A body-less request whose method and URL are exactly an entry's has that entry's canonical text (the text depends
  // on nothing else), so most look-ups skip canonicalising the URL: raw text → canonical text, computed once here.
  const canonicalOfRaw = new Map<string, string>();
  for (const entry of cassette.entries()) {
    const canonical = canonicalRequest(entry.request, secrets);
    byCanonical.set(canonical, entry);
    if (entry.request.body === undefined) canonicalOfRaw.set(`${entry.request.method} ${entry.request.url}`, canonical);
  }
  return {
    async request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse> {
      const known = request.body === undefined ? canonicalOfRaw.get(`${request.method} ${request.url}`) : undefined;
      let entry = byCanonical.get(known ?? canonicalRequest(request, secrets));
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
    },
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
