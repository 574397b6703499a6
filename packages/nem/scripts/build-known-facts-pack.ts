/**
 * Builds `packages/nem/labels/coincheck-2018-known-facts.csv`, a fundflow CSV label pack of the real NEM accounts of
 * the January 2018 exchange drain, from the facts file:
 *   pnpm tsx packages/nem/scripts/build-known-facts-pack.ts [--facts <path>] [--check]
 *
 * Input: `<repo>/../shared/realdata/incidents/coincheck-2018-nem-known-facts.csv` (one row per published fact, each
 * with its source and confidence). Every `address` row becomes a label: its role decides the category (victim,
 * attacker, other), its source and confidence are kept. Every address is checked with the NEM codec first.
 * With --check, compares with the committed pack instead of writing it (exit 1 when they differ).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serializeCsvPack } from '@fundflow/core';
import { buildKnownFactsPack } from '../src/known-facts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: join(root, '../shared/realdata/incidents/coincheck-2018-nem-known-facts.csv') },
    check: { type: 'boolean', default: false },
  },
});
const out = join(root, 'packages/nem/labels/coincheck-2018-known-facts.csv');
if (!existsSync(values.facts)) {
  console.error(`facts file ${values.facts} not found: pass --facts <path>`);
  process.exit(2);
}
const text = serializeCsvPack(buildKnownFactsPack(readFileSync(values.facts, 'utf8')));
if (values.check) {
  const same = existsSync(out) && readFileSync(out, 'utf8') === text;
  console.error(same ? `${out} is up to date` : `${out} differs from what the facts file gives: rebuild it`);
  process.exit(same ? 0 : 1);
}
writeFileSync(out, text);
console.error(`wrote ${out}`);
