import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactText, BUILD_DIR, compileContracts } from '../../scripts/compile-contracts';

describe('scenario contracts', () => {
  it('recompile to the committed artifacts byte-for-byte', { timeout: 60_000 }, () => {
    const artifacts = compileContracts();
    expect(Object.keys(artifacts).sort()).toEqual([
      'Bridge',
      'Disperser',
      'Forwarder',
      'Mixer',
      'OddToken',
      'SwapPool',
      'Token',
    ]);
    for (const a of Object.values(artifacts)) {
      const committed = readFileSync(join(BUILD_DIR, `${a.contractName}.json`), 'utf8');
      expect(artifactText(a), `${a.contractName}: run packages/evm/scripts/compile-contracts.ts`).toBe(committed);
    }
    // OddToken has no decimals(); Token has it.
    const fns = (name: string) =>
      (artifacts[name]!.abi as Array<{ type: string; name?: string }>)
        .filter((e) => e.type === 'function')
        .map((e) => e.name);
    expect(fns('Token')).toContain('decimals');
    expect(fns('OddToken')).not.toContain('decimals');
  });
});
