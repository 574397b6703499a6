/**
 * Writes packages/core/labels/ofac-sdn-<date>.csv from the OFAC SDN lists in realdata.
 * Usage: npx tsx packages/core/scripts/build-ofac-pack.ts [realdataDir]  (default <repo>/../shared/realdata/ofac-sdn)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOfacPack } from './ofac-pack';

const coreDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(coreDir, '..', '..');
const dir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'realdata', 'ofac-sdn'));

const build = buildOfacPack(dir);
const out = join(coreDir, 'labels', build.fileName);
writeFileSync(out, build.text);

const perChain = new Map<string, number>();
for (const label of build.pack.labels) perChain.set(label.chain, (perChain.get(label.chain) ?? 0) + 1);
console.log(`wrote ${out}: ${build.pack.labels.length} labels from ${dir}`);
for (const [chain, count] of [...perChain].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  console.log(`  ${chain.padEnd(18)} ${count}`);
}
for (const m of build.moved)
  console.log(`  note: ${m.address} tagged ${m.asset} filed under ${m.chain} (address format)`);
