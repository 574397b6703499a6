import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FundflowError } from '../errors';
import { Cassette } from './cassette';

export const CASSETTE_FILE = 'cassette.json';
export const MANIFEST_FILE = 'manifest.json';

/**
 * Reads and verifies `dir/cassette.json` + `dir/manifest.json`. Throws FIXTURE_MISSING (with the path) when either is
 * absent and FIXTURE_CORRUPT when they do not verify.
 * @example const cassette = await loadCassette('fixtures/esplora-hop/cassette');
 */
export async function loadCassette(dir: string): Promise<Cassette> {
  const [cassette, manifest] = await Promise.all([
    readOrMissing(dir, CASSETTE_FILE),
    readOrMissing(dir, MANIFEST_FILE),
  ]);
  return Cassette.parse(cassette, manifest, dir);
}

/**
 * Writes `dir/cassette.json` and `dir/manifest.json` (creating `dir`); each file is written to a temporary name and
 * renamed, so a killed process never leaves half a cassette.
 * @example await saveCassette('fixtures/esplora-hop/cassette', cassette);
 */
export async function saveCassette(dir: string, cassette: Cassette): Promise<void> {
  const { cassette: cassetteText, manifest } = cassette.serialize();
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, CASSETTE_FILE), cassetteText);
  await writeAtomically(join(dir, MANIFEST_FILE), manifest);
}

async function readOrMissing(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new FundflowError('FIXTURE_MISSING', `No cassette file at ${path}; record the case first`, {
        details: { path },
        cause: e,
      });
    }
    throw e;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
