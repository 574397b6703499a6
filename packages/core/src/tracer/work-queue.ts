import { FundflowError } from '../errors';

/**
 * Runs the tracer's fetches concurrently while all state changes stay synchronous: each task's continuation
 * runs to completion before the next one starts, so the engines need no locks. `drain` waits for every task,
 * including tasks started by tasks, and rethrows the first failure.
 */
export class WorkQueue {
  private readonly inflight = new Set<Promise<void>>();
  private failure: unknown;
  private failed = false;
  /** Wakes `drain` when any task settles (racing thousands of promises each round would be quadratic). */
  private wake: (() => void) | undefined;

  constructor(private readonly signal?: AbortSignal) {}

  spawn(task: () => Promise<void>): void {
    if (this.failed) return;
    const p = (async () => {
      this.checkAborted();
      await task();
    })().catch((e: unknown) => {
      if (!this.failed) {
        this.failed = true;
        this.failure = e;
      }
    });
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.wake?.();
    });
  }

  get size(): number {
    return this.inflight.size;
  }

  async drain(afterEach?: () => void): Promise<void> {
    while (this.inflight.size > 0) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
      if (this.failed || this.signal?.aborted) {
        // Let every running task settle first, so answers already on their way still reach the checkpoint journal
        // and nothing keeps writing after we return.
        while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
        if (this.failed) throw this.failure;
        this.checkAborted();
      }
      afterEach?.();
    }
    if (this.failed) throw this.failure;
  }

  private checkAborted(): void {
    if (this.signal?.aborted) throw new FundflowError('ABORTED', 'The trace was interrupted');
  }
}

/** Memoises async calls by key so each request is made once per trace, whatever asks for it. */
export class Memo<T> {
  private readonly cache = new Map<string, Promise<T>>();
  private readonly settled = new Map<string, T>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key);
    if (!p) {
      p = load().then((v) => {
        this.settled.set(key, v);
        return v;
      });
      // Failures surface where the promise is awaited; this keeps an unawaited prefetch from crashing the process.
      p.catch(() => {});
      this.cache.set(key, p);
    }
    return p;
  }

  /** The value if it has arrived. */
  peek(key: string): T | undefined {
    return this.settled.get(key);
  }
}
