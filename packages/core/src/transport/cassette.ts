import { z } from 'zod';
import { FundflowError } from '../errors';
import { canonicalJson } from '../util/canonical-json';
import { type CassetteEntry, corrupt, verifyCassetteEntry } from './cassette-entry';

export const CASSETTE_FORMAT = 'fundflow.cassette/1';
export const MANIFEST_FORMAT = 'fundflow.cassette-manifest/1';

/** One manifest line: what a cassette entry answers and the hash of its body. */
export interface ManifestEntry {
  key: string;
  method: 'GET' | 'POST';
  url: string;
  sha256: string;
}

const cassetteSchema = z.object({ format: z.literal(CASSETTE_FORMAT), entries: z.array(z.unknown()) });
const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  count: z.number().int().min(0),
  entries: z.array(
    z.object({
      key: z.string(),
      method: z.enum(['GET', 'POST']),
      url: z.string(),
      sha256: z.string(),
    }),
  ),
});

/**
 * Recorded responses keyed by request key, with a manifest of every key and body hash. Browser-safe: reading and
 * writing files is `cassette-fs`'s job.
 * @example
 *   const { cassette, manifest } = Cassette.parse(cassetteText, manifestText).serialize();
 */
export class Cassette {
  readonly #entries = new Map<string, CassetteEntry>();

  constructor(entries: Iterable<CassetteEntry> = []) {
    for (const entry of entries) this.put(entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CassetteEntry | undefined {
    return this.#entries.get(key);
  }

  /** Adds or replaces the entry for `entry.key`. */
  put(entry: CassetteEntry): void {
    this.#entries.set(entry.key, entry);
  }

  /** Entries in the order they were put (no sort: for indexes that do not care). */
  values(): IterableIterator<CassetteEntry> {
    return this.#entries.values();
  }

  /** Entries sorted by key. */
  entries(): CassetteEntry[] {
    return [...this.#entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * The two files' text: entries sorted by key, one per line, keys sorted inside; the same entries always give the
   * same bytes.
   * @example const { cassette, manifest } = recorded.serialize();
   */
  serialize(): { cassette: string; manifest: string } {
    const entries = this.entries();
    const manifest: ManifestEntry[] = entries.map((e) => ({
      key: e.key,
      method: e.request.method,
      url: e.request.url,
      sha256: e.sha256,
    }));
    return {
      cassette: `{"format":${JSON.stringify(CASSETTE_FORMAT)},"entries":[${lines(entries)}]}\n`,
      manifest: `{"format":${JSON.stringify(MANIFEST_FORMAT)},"count":${entries.length},"entries":[${lines(manifest)}]}\n`,
    };
  }

  /**
   * Reads and verifies a cassette: every body must hash to its entry's sha256 and to the manifest's, and both files must
   * list the same requests. Throws FIXTURE_CORRUPT naming the file, the entry's key and its url.
   * @example const cassette = Cassette.parse(readFileSync('cassette.json', 'utf8'), readFileSync('manifest.json', 'utf8'), 'fixtures/case-1');
   */
  static parse(cassetteText: string, manifestText: string, source = 'cassette'): Cassette {
    const cassetteFile = `${source}/cassette.json`;
    const manifestFile = `${source}/manifest.json`;
    const doc = cassetteSchema.safeParse(parseJson(cassetteText, cassetteFile));
    if (!doc.success) throw fileCorrupt(cassetteFile, `not a ${CASSETTE_FORMAT} file`);
    const man = manifestSchema.safeParse(parseJson(manifestText, manifestFile));
    if (!man.success) throw fileCorrupt(manifestFile, `not a ${MANIFEST_FORMAT} file`);

    const listed = new Map<string, ManifestEntry>();
    for (const m of man.data.entries) listed.set(m.key, m);
    if (man.data.count !== man.data.entries.length || listed.size !== man.data.entries.length) {
      throw fileCorrupt(manifestFile, 'count does not match its entries, or a key is listed twice');
    }

    const cassette = new Cassette();
    // Most entries carry the same headers (`content-type` alone): one frozen object each, shared. A replay holds the
    // whole cassette, and the garbage collector walks every object it holds, on every full collection.
    const sharedHeaders = new Map<string, Record<string, string>>();
    doc.data.entries.forEach((raw, i) => {
      // Entry i sits on line i + 2: the first line holds the format and the opening bracket.
      const where = `${cassetteFile}:${i + 2}`;
      const entry = verifyCassetteEntry(raw, where);
      const headersKey = canonicalJson(entry.headers);
      const shared = sharedHeaders.get(headersKey);
      if (shared === undefined) sharedHeaders.set(headersKey, Object.freeze(entry.headers));
      else entry.headers = shared;
      if (cassette.get(entry.key) !== undefined) throw corrupt(raw, where, 'key appears twice');
      const m = listed.get(entry.key);
      if (m === undefined) throw corrupt(raw, where, `not listed in ${manifestFile}`);
      if (m.sha256 !== entry.sha256) throw corrupt(raw, where, `sha256 differs from ${manifestFile}`);
      if (m.method !== entry.request.method || m.url !== entry.request.url) {
        throw corrupt(raw, where, `request differs from ${manifestFile}`);
      }
      cassette.put(entry);
    });
    if (cassette.size !== listed.size) {
      const missing = [...listed.values()].find((m) => cassette.get(m.key) === undefined)!;
      throw new FundflowError(
        'FIXTURE_CORRUPT',
        `${manifestFile} lists ${missing.method} ${missing.url} (key ${missing.key}) but ${cassetteFile} has no such entry; restore the file or record the case again`,
        { details: { where: cassetteFile, key: missing.key, url: missing.url, problem: 'entry missing' } },
      );
    }
    return cassette;
  }
}

function lines(values: readonly unknown[]): string {
  return values.length === 0 ? '\n' : `\n${values.map((v) => canonicalJson(v)).join(',\n')}\n`;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw locateBrokenLine(text, file);
  }
}

// The whole file failed to parse: find the first entry line that does not parse on its own, to name its request.
function locateBrokenLine(text: string, file: string): FundflowError {
  const all = text.split('\n');
  for (let i = 1; i < all.length; i++) {
    const line = all[i]!.replace(/,$/, '');
    if (!line.startsWith('{')) continue;
    try {
      JSON.parse(line);
    } catch {
      const key = /"key":"([0-9a-f]{64})"/.exec(line)?.[1];
      const url = /"url":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
      return corrupt({ key, request: { url } }, `${file}:${i + 1}`, 'truncated or invalid JSON');
    }
  }
  return fileCorrupt(file, 'truncated or invalid JSON');
}

function fileCorrupt(file: string, problem: string): FundflowError {
  return new FundflowError('FIXTURE_CORRUPT', `${file}: ${problem}; restore the file or record the case again`, {
    details: { where: file, problem },
  });
}
