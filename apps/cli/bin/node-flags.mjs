/**
 * The Node flags the fundflow command runs with: bin/fundflow.mjs, the root `pnpm fundflow` script (which spells them
 * out: package.json cannot import; test/cli/launch.test.ts holds it to this list), the tests' runCli and the replay
 * benchmark's processes.
 *
 * `--max-semi-space-size=64`: a young generation of 64 MB per semi-space (V8's default is 16 MB). A long trace keeps
 * nearly every answer and record it makes to the end, and each scavenge of the young generation costs in proportion
 * to what survives it; with four times the room there are a quarter as many. The 100k-transfer replay ran 4–7% faster
 * in each of eight interleaved pairs (4,197–4,446 → 3,925–4,162 ms), and the 1M-edge graph build too. It can only be
 * given at start-up: `v8.setFlagsFromString` leaves a running heap's young generation as it is.
 */
export const NODE_FLAGS = ['--max-semi-space-size=64'];
