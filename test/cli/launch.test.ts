import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../apps/cli/bin/node-flags.mjs';
import { ROOT } from '../helpers';

describe('how the fundflow command is launched', () => {
  it('runs `pnpm fundflow` with the Node flags of the bin and the tests (package.json spells them out)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(NODE_FLAGS.length).toBeGreaterThan(0);
    expect(pkg.scripts.fundflow).toBe(`tsx ${NODE_FLAGS.join(' ')} apps/cli/src/main.ts`);
  });

  it('the bin runs the command in a process with those flags', () => {
    // A preload in every Node process of the launch prints that process's flags.
    const preload = join(mkdtempSync(join(tmpdir(), 'ff-launch-')), 'argv.cjs');
    writeFileSync(preload, "process.stderr.write('execArgv ' + JSON.stringify(process.execArgv) + '\\n');\n");
    const r = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/fundflow.mjs'), '--version'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
    });
    expect(r.status, r.stderr).toBe(0);
    const argvs = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('execArgv '))
      .map((l) => JSON.parse(l.slice('execArgv '.length)) as string[]);
    const command = argvs.find((a) => a.includes('tsx'));
    expect(command?.slice(0, NODE_FLAGS.length)).toEqual([...NODE_FLAGS]);
  });
});
