import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { FundflowError } from '../errors';
import { canonicalJson } from '../util/canonical-json';
import { Cassette } from './cassette';
import {
  type CassetteEntry,
  corrupt,
  createCassetteEntry,
  responseFromEntry,
  verifyCassetteEntry,
} from './cassette-entry';
import { requestKey } from './request-key';
import type { Transport, TransportRequest, TransportResponse } from './types';

export interface JournaledOptions {
  /** Secrets beyond those the request carries itself; give the same list as to `http`. */
  secrets?: readonly string[];
}

export interface JournaledTransport extends Transport {
  /** Requests answered from the journal, without the network. */
  served(): number;
  /** Everything journaled so far, e.g. to save as the case's cassette once the trace is done. */
  toCassette(): Cassette;
  /** Closes the journal file; later misses throw. */
  close(): void;
}

const NEWLINE = 0x0a;

/**
 * The trace checkpoint: an append-only JSONL file with one cassette entry per line. Requests already in it are answered
 * from it; the others go to `inner` and are appended and fsynced before their promise resolves, so a killed trace
 * re-run from the start repeats no request. A torn last line (killed mid-write) is dropped and cut off the file.
 * @example
 *   const transport = journaled(http({ rateLimit: { requestsPerSecond: 4 } }), 'out/case-1.journal.jsonl');
 *   try { await trace(source(transport)); } finally { transport.close(); }
 */
export function journaled(inner: Transport, path: string, options: JournaledOptions = {}): JournaledTransport {
  const secrets = options.secrets ?? [];
  const entries = load(path);
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a');
  let served = 0;

  function append(entry: CassetteEntry) {
    if (fd === undefined) throw closed(path);
    appendFileSync(fd, `${canonicalJson(entry)}\n`);
    fsyncSync(fd);
  }

  return {
    async request(request: TransportRequest, signal?: AbortSignal): Promise<TransportResponse> {
      const key = requestKey(request, secrets);
      const hit = entries.get(key);
      if (hit !== undefined) {
        served++;
        return responseFromEntry(hit, request.expect);
      }
      if (fd === undefined) throw closed(path);
      const response = await inner.request(request, signal);
      // Concurrent identical misses share one network request inside `inner`; only the first writes a line.
      let entry = entries.get(key);
      if (entry === undefined) {
        entry = createCassetteEntry(request, response, secrets);
        append(entry);
        entries.set(key, entry);
      }
      // Live and re-run answers must be the same bytes: if redaction changed the body, hand out the journaled one.
      return entry.body === response.body ? response : responseFromEntry(entry, request.expect);
    },
    stats: () => inner.stats(),
    served: () => served,
    toCassette: () => new Cassette(entries.values()),
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}

// Reads the journal; drops a torn or corrupt last line and truncates the file to the last good line.
function load(path: string): Map<string, CassetteEntry> {
  const entries = new Map<string, CassetteEntry>();
  if (!existsSync(path)) return entries;
  const bytes = readFileSync(path);
  let start = 0;
  // Bytes up to and including the newline after the last good line.
  let keep = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    lineNo++;
    const nl = bytes.indexOf(NEWLINE, start);
    const end = nl < 0 ? bytes.length : nl;
    const isLast = nl < 0 || nl + 1 === bytes.length;
    const where = `${path}:${lineNo}`;
    let entry: CassetteEntry;
    try {
      entry = verifyCassetteEntry(JSON.parse(bytes.subarray(start, end).toString('utf8')), where);
    } catch (e) {
      if (isLast) break;
      if (e instanceof FundflowError) throw e;
      throw corrupt(undefined, where, 'not valid JSON (only the last line may be torn)');
    }
    entries.set(entry.key, entry);
    keep = end + 1;
    start = end + 1;
  }
  if (keep < bytes.length) truncateSync(path, keep);
  // A complete last line that only lost its newline is kept and terminated.
  if (keep > bytes.length) appendDurably(path, '\n');
  return entries;
}

function appendDurably(path: string, text: string) {
  const fd = openSync(path, 'a');
  try {
    appendFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function closed(path: string): FundflowError {
  return new FundflowError('INVALID_ARGUMENT', `Journal ${path} is closed; open it again with journaled()`, {
    details: { path },
  });
}
