import { z } from 'zod';
import { FundflowError } from '../errors';
import { sha256Hex } from '../util/hash';
import { redactHeaders, redactText, redactUrl, replaceSecrets, requestSecrets } from './redact';
import { requestKey } from './request-key';
import type { TransportRequest, TransportResponse } from './types';

/** One recorded answer. Request fields are redacted; `sha256` is the hash of `body`. */
export interface CassetteEntry {
  key: string;
  request: { method: 'GET' | 'POST'; url: string; body?: string };
  status: number;
  headers: Record<string, string>;
  body: string;
  sha256: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** zod schema of one {@link CassetteEntry} as stored in a cassette or a journal line. */
export const cassetteEntrySchema = z.object({
  key: hex64,
  request: z.object({
    method: z.enum(['GET', 'POST']),
    url: z.string(),
    body: z.string().optional(),
  }),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  sha256: hex64,
});

/**
 * The entry to store for a response: key from the original request, request URL/body and response body redacted
 * (a body that echoes the key gets `***` and a new hash).
 * @example createCassetteEntry({ method: 'GET', url: 'https://x.io/tx/1?apikey=K' }, response).request.url
 *   === 'https://x.io/tx/1?apikey=***'
 */
export function createCassetteEntry(
  request: TransportRequest,
  response: TransportResponse,
  secrets: readonly string[] = [],
): CassetteEntry {
  const all = requestSecrets(request, secrets);
  const body = replaceSecrets(response.body, all);
  return {
    key: requestKey(request, secrets),
    request: {
      method: request.method,
      url: redactUrl(request.url, all),
      ...(request.body === undefined ? {} : { body: redactText(request.body, all) }),
    },
    status: response.status,
    headers: redactHeaders(response.headers, all),
    body,
    sha256: body === response.body ? response.sha256 : sha256Hex(body),
  };
}

/**
 * A raw parsed value checked as an entry whose body hashes to its `sha256`; throws FIXTURE_CORRUPT naming `where`
 * (file and line) and, when readable, the entry's key and url.
 * @example verifyCassetteEntry(JSON.parse(line), 'journal.jsonl:12')
 */
export function verifyCassetteEntry(raw: unknown, where: string): CassetteEntry {
  // Checked in place: a cassette holds a hundred thousand entries, and zod copies each one. The schema runs when the
  // check fails, for its message (a test holds both to the same verdict).
  if (!isCassetteEntry(raw)) {
    const parsed = cassetteEntrySchema.safeParse(raw);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    const field = issue === undefined ? '' : issue.path.join('.');
    throw corrupt(raw, where, `field ${field || '(entry)'} is missing or invalid`);
  }
  const e = raw;
  if (sha256Hex(e.body) !== e.sha256) throw corrupt(raw, where, 'body does not match its sha256');
  // A new object of exactly these fields (a stored entry has no others).
  const { method, url, body } = e.request;
  return {
    key: e.key,
    request: body === undefined ? { method, url } : { method, url, body },
    status: e.status,
    headers: e.headers,
    body: e.body,
    sha256: e.sha256,
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** What `cassetteEntrySchema` accepts, checked where it stands. */
export function isCassetteEntry(v: unknown): v is CassetteEntry {
  if (!isRecord(v)) return false;
  const r = v.request;
  const status = v.status;
  return (
    typeof v.key === 'string' &&
    HEX64.test(v.key) &&
    isRecord(r) &&
    (r.method === 'GET' || r.method === 'POST') &&
    typeof r.url === 'string' &&
    (r.body === undefined || typeof r.body === 'string') &&
    typeof status === 'number' &&
    Number.isInteger(status) &&
    status >= 100 &&
    status <= 599 &&
    isRecord(v.headers) &&
    Object.values(v.headers).every((h) => typeof h === 'string') &&
    typeof v.body === 'string' &&
    typeof v.sha256 === 'string' &&
    HEX64.test(v.sha256)
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The response an entry stands for; `json` parsed for a 2xx answer to an `expect: 'json'` request.
 * @example responseFromEntry(cassette.get(key)!, 'json').json
 */
export function responseFromEntry(entry: CassetteEntry, expect: 'json' | 'text' = 'json'): TransportResponse {
  const response: TransportResponse = {
    status: entry.status,
    headers: { ...entry.headers },
    body: entry.body,
    sha256: entry.sha256,
  };
  if (expect === 'json' && entry.status >= 200 && entry.status < 300) {
    try {
      response.json = JSON.parse(entry.body);
    } catch (cause) {
      throw new FundflowError(
        'BAD_RESPONSE',
        `Recorded answer to ${entry.request.method} ${entry.request.url} is not JSON; record it again`,
        { details: { method: entry.request.method, url: entry.request.url, key: entry.key }, cause },
      );
    }
  }
  return response;
}

/** FIXTURE_CORRUPT for a stored entry, with whatever key and url can still be read from it. */
export function corrupt(raw: unknown, where: string, problem: string): FundflowError {
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const key = typeof o.key === 'string' ? o.key : undefined;
  const req = o.request !== null && typeof o.request === 'object' ? (o.request as Record<string, unknown>) : {};
  const url = typeof req.url === 'string' ? redactText(req.url) : undefined;
  const who = [key === undefined ? undefined : `key ${key}`, url].filter((s) => s !== undefined).join(' ');
  return new FundflowError(
    'FIXTURE_CORRUPT',
    `${where}: ${who === '' ? 'entry' : `entry ${who}`}: ${problem}; restore the file or record the case again`,
    { details: { where, ...(key === undefined ? {} : { key }), ...(url === undefined ? {} : { url }), problem } },
  );
}
