import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FundflowError, isFundflowError } from '../errors';
import { compareStrings } from '../types';
import { parseCsvPack } from './csv-pack';
import type { LabelPack } from './label-pack';
import { parseTagPack } from './tagpack';

const PACK_EXTENSIONS = new Set(['.csv', '.yaml', '.yml']);

/**
 * Reads a label pack file: `.csv` (fundflow CSV pack) or `.yaml` / `.yml` (GraphSense TagPack). A pack that does not
 * name itself is named after the file (`my-tags.yaml` → `my-tags`). Node only.
 * Throws `NOT_FOUND` for a missing file and `INVALID_ARGUMENT` (with `details.path`) for any other extension or bad content.
 * @example const pack = await loadPackFile('labels/ofac-sdn-2024-09-27.csv'); pack.info.name === 'ofac-sdn'
 */
export async function loadPackFile(path: string): Promise<LabelPack> {
  const extension = extname(path).toLowerCase();
  if (!PACK_EXTENSIONS.has(extension)) {
    throw new FundflowError('INVALID_ARGUMENT', `${path}: a label pack must be .csv, .yaml or .yml`, {
      details: { path, extension },
    });
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FundflowError('NOT_FOUND', `label pack ${path} does not exist`, { details: { path }, cause: e });
    }
    throw e;
  }
  const name = basename(path, extname(path));
  try {
    return extension === '.csv' ? parseCsvPack(text, { name }) : parseTagPack(text, { name });
  } catch (e) {
    // The parsers know lines, not files: say which file, keep the code.
    if (isFundflowError(e)) {
      throw new FundflowError(e.code, `${path}: ${e.message}`, { details: { ...e.details, path }, cause: e });
    }
    throw e;
  }
}

/**
 * Absolute paths of the packs bundled with @fundflow/core (packages/core/labels/*.csv|yaml|yml), sorted. Node only.
 * @example for (const path of builtinPackPaths()) registry.addPack(await loadPackFile(path));
 */
export function builtinPackPaths(): string[] {
  const dir = fileURLToPath(new URL('../../labels/', import.meta.url));
  return readdirSync(dir)
    .filter((file) => PACK_EXTENSIONS.has(extname(file).toLowerCase()))
    .sort(compareStrings)
    .map((file) => join(dir, file));
}
