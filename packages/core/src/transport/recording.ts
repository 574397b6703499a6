import type { Cassette } from './cassette';
import { createCassetteEntry, responseFromEntry } from './cassette-entry';
import type { Transport, TransportRequest, TransportResponse } from './types';

export interface RecordingOptions {
  /** Secrets beyond those the request carries itself (an API key in the URL path); give the same list as to `http`. */
  secrets?: readonly string[];
}

/**
 * Forwards every request to `inner` and puts each answer it returns (2xx and the 4xx it does not throw) into `cassette`,
 * redacted. Thrown errors are not recorded. Save the cassette with `saveCassette` when done.
 * @example
 *   const cassette = new Cassette();
 *   const transport = recording(http({ secrets: [key] }), cassette, { secrets: [key] });
 */
export function recording(inner: Transport, cassette: Cassette, options: RecordingOptions = {}): Transport {
  const secrets = options.secrets ?? [];
  return {
    async request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse> {
      const response = await inner.request(request, signal);
      const entry = createCassetteEntry(request, response, secrets);
      cassette.put(entry);
      // Live and replayed runs must see the same bytes: if redaction changed the body, hand out the recorded one.
      return entry.body === response.body ? response : responseFromEntry(entry, request.expect);
    },
    stats: () => inner.stats(),
  };
}
