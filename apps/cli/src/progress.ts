import type { TraceProgress } from '@fundflow/core';

/**
 * A one-line progress display on stderr: redrawn in place on a terminal (at most 10 times a second), a plain line
 * every 5 s otherwise (CI logs). Never writes to stdout, so `--json` output stays clean.
 */
export function progressReporter(
  requests: () => number,
  enabled: boolean,
): {
  update(p: TraceProgress): void;
  done(): void;
} {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = 0;
  let shown = false;
  const line = (p: TraceProgress) =>
    `[${p.policy}] ${p.processed} worked through · ${p.pending} waiting · ${p.edges} tainted transfers · ` +
    `${requests()} requests · ${((Date.now() - started) / 1000).toFixed(1)} s`;
  return {
    update(p) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000)) return;
      last = now;
      shown = true;
      if (tty) process.stderr.write(`\r\x1b[2K${line(p)}`);
      else process.stderr.write(`${line(p)}\n`);
    },
    done() {
      if (enabled && tty && shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
