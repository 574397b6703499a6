import { FundflowError } from '../errors';

/**
 * Runs the tracer's fetches concurrently while all state changes stay synchronous: each task's continuation
 * runs to completion before the next one starts, so the engines need no locks. `drain` waits for every task,
 * including tasks started by tasks, and rethrows the first failure.
 */
export class WorkQueue {
  private pending = 0;
  private failure: unknown;
  private failed = false;
  /** Wakes `drain` when any task settles (racing thousands of promises each round would be quadratic). */
  private wake: (() => void) | undefined;

  constructor(private readonly signal?: AbortSignal) {}

  spawn(task: () => Promise<void>): void {
    if (this.failed) return;
    let started: Promise<void>;
    try {
      this.checkAborted();
      started = task();
    } catch (e) {
      started = Promise.reject(e);
    }
    // One settled promise per task (a trace spawns hundreds of thousands): counted, never raced.
    this.pending++;
    started.then(this.settled, this.failedWith);
  }

  private readonly settled = (): void => {
    this.pending--;
    this.wake?.();
  };

  private readonly failedWith = (e: unknown): void => {
    if (!this.failed) {
      this.failed = true;
      this.failure = e;
    }
    this.settled();
  };

  get size(): number {
    return this.pending;
  }

  async drain(afterEach?: () => void): Promise<void> {
    while (this.pending > 0) {
      await this.nextSettle();
      if (this.failed || this.signal?.aborted) {
        // Let every running task settle first, so answers already on their way still reach the checkpoint journal
        // and nothing keeps writing after we return.
        while (this.pending > 0) await this.nextSettle();
        if (this.failed) throw this.failure;
        this.checkAborted();
      }
      afterEach?.();
    }
    if (this.failed) throw this.failure;
  }

  private nextSettle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  private checkAborted(): void {
    if (this.signal?.aborted) throw new FundflowError('ABORTED', 'The trace was interrupted');
  }
}

/** Memoises async calls by key so each request is made once per trace, whatever asks for it. Values are never undefined. */
export class Memo<T extends NonNullable<unknown>> {
  // A key maps to its pending load while it runs and to the bare value once it arrived: a trace holds hundreds of
  // thousands of keys, and keeping a promise and a slot object beside each value for the whole trace is what the
  // garbage collector then walks again and again.
  private readonly slots = new Map<string, Pending<T> | T>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (slot !== undefined) return slot instanceof Pending ? slot.promise : Promise.resolve(slot);
    const pending = new Pending(
      load().then((v) => {
        this.slots.set(key, v);
        return v;
      }),
    );
    // Failures surface where the promise is awaited; this keeps an unawaited prefetch from crashing the process.
    pending.promise.catch(() => {});
    this.slots.set(key, pending);
    return pending.promise;
  }

  /** Stores a value known without loading (a later `get` answers with it). */
  set(key: string, value: T): void {
    this.slots.set(key, value);
  }

  /**
   * The value in hand; else, when nothing was asked for the key yet, `loadNow()`'s answer (kept). Undefined while a
   * load is under way (it is never made twice) or when `loadNow` has no answer at once.
   */
  now(key: string, loadNow: () => T | undefined): T | undefined {
    const slot = this.slots.get(key);
    if (slot !== undefined) return slot instanceof Pending ? undefined : slot;
    const value = loadNow();
    if (value !== undefined) this.slots.set(key, value);
    return value;
  }

  /** The value if it has arrived. */
  peek(key: string): T | undefined {
    const slot = this.slots.get(key);
    return slot instanceof Pending ? undefined : slot;
  }
}

/** A load under way (a class of its own, so no value can be mistaken for it). */
class Pending<T> {
  constructor(readonly promise: Promise<T>) {}
}
