export { CASSETTE_FORMAT, Cassette, MANIFEST_FORMAT, type ManifestEntry } from './cassette';
export {
  type CassetteEntry,
  cassetteEntrySchema,
  createCassetteEntry,
  responseFromEntry,
  verifyCassetteEntry,
} from './cassette-entry';
export {
  type HttpBackoff,
  type HttpOptions,
  type HttpRateLimit,
  http,
  type RetryVerdict,
  type TransportEvent,
} from './http';
export { type RecordingOptions, recording } from './recording';
export {
  isSecretParam,
  REDACTED,
  redactHeaders,
  redactText,
  redactUrl,
  replaceSecrets,
  requestSecrets,
} from './redact';
export { type ReplayingOptions, replaying } from './replaying';
export { canonicalRequest, type KeyedRequest, requestKey } from './request-key';
export type { Transport, TransportRequest, TransportResponse, TransportStats } from './types';
