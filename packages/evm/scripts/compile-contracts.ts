/**
 * Compiles the scenario's Solidity contracts (packages/evm/contracts/*.sol) offline with solc-js and writes one
 * artifact per deployable contract to packages/evm/contracts/build/<Name>.json ({abi, bytecode, solcVersion,
 * sourceSha256, …}). The settings are pinned (optimizer, evmVersion, no metadata hash) so the bytecode is the same on
 * every machine; a test recompiles and compares byte-for-byte.
 *   pnpm tsx packages/evm/scripts/compile-contracts.ts           # writes contracts/build/*.json
 *   pnpm tsx packages/evm/scripts/compile-contracts.ts --check   # fails when the committed artifacts differ
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import solc from 'solc';

export const CONTRACTS_DIR = fileURLToPath(new URL('../contracts/', import.meta.url));
export const BUILD_DIR = join(CONTRACTS_DIR, 'build');

/** Compiler settings, pinned: anvil 1.7.1 runs Cancun (and later) bytecode; no metadata hash, so no path/whitespace drift. */
export const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const;

export interface ContractArtifact {
  contractName: string;
  /** Source file under packages/evm/contracts. */
  sourceFile: string;
  abi: unknown[];
  /** Creation bytecode, 0x-hex. */
  bytecode: string;
  /** e.g. `0.8.37+commit.….Emscripten.clang`. */
  solcVersion: string;
  /** sha256 (hex) of the source file's bytes. */
  sourceSha256: string;
  settings: { optimizer: { enabled: boolean; runs: number }; evmVersion: string; bytecodeHash: string };
}

interface SolcOutput {
  errors?: Array<{ severity: 'error' | 'warning' | 'info'; formattedMessage: string }>;
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

/** Compiles every contracts/*.sol together; returns the deployable contracts (abstract ones have no bytecode), by name. */
export function compileContracts(dir = CONTRACTS_DIR): Record<string, ContractArtifact> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sol'))
    .sort();
  const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(files.map((f) => [f, { content: texts[f] }])),
    settings: SOLC_SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const problems = (output.errors ?? []).filter((e) => e.severity !== 'info');
  if (problems.length > 0) {
    throw new Error(`solc ${solc.version()}:\n${problems.map((e) => e.formattedMessage).join('\n')}`);
  }
  const artifacts: Record<string, ContractArtifact> = {};
  for (const file of files) {
    const sourceSha256 = createHash('sha256')
      .update(texts[file] ?? '')
      .digest('hex');
    for (const [name, c] of Object.entries(output.contracts?.[file] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (c.evm.bytecode.object === '') continue;
      if (artifacts[name]) throw new Error(`contract ${name} is defined twice`);
      artifacts[name] = {
        contractName: name,
        sourceFile: file,
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        solcVersion: solc.version(),
        sourceSha256,
        settings: {
          optimizer: { ...SOLC_SETTINGS.optimizer },
          evmVersion: SOLC_SETTINGS.evmVersion,
          bytecodeHash: SOLC_SETTINGS.metadata.bytecodeHash,
        },
      };
    }
  }
  return artifacts;
}

/** The text written to build/<Name>.json for an artifact. */
export function artifactText(a: ContractArtifact): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}

/** The committed artifact of a contract. */
export function loadArtifact(name: string): ContractArtifact {
  return JSON.parse(readFileSync(join(BUILD_DIR, `${name}.json`), 'utf8')) as ContractArtifact;
}

function main(): void {
  const check = process.argv.includes('--check');
  const artifacts = compileContracts();
  const stale: string[] = [];
  for (const a of Object.values(artifacts)) {
    const path = join(BUILD_DIR, `${a.contractName}.json`);
    const text = artifactText(a);
    if (check) {
      let old = '';
      try {
        old = readFileSync(path, 'utf8');
      } catch {}
      if (old !== text) stale.push(a.contractName);
    } else {
      writeFileSync(path, text);
    }
  }
  const names = Object.keys(artifacts).join(', ');
  if (check && stale.length > 0) {
    console.error(`stale artifacts: ${stale.join(', ')} (run without --check to rewrite them)`);
    process.exitCode = 1;
    return;
  }
  console.error(`${check ? 'checked' : 'wrote'} ${names} (solc ${solc.version()})`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
