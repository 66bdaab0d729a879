/**
 * A fair readers-writer lock for promises.
 *
 * Ordinary requests run under the shared side; transactions and table rebuilds
 * under the exclusive side, so nothing interleaves with them. Waiters are served
 * in arrival order: a queued writer holds back later readers, otherwise a steady
 * stream of reads (a polling test, say) would starve every transaction.
 */
export class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Array<{ exclusive: boolean; grant: () => void }> = [];

  /** Runs `fn` while holding the lock in shared mode. */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(false, fn);
  }

  /** Runs `fn` while holding the lock alone. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(true, fn);
  }

  /** Takes the shared side and hands back its release, for work that ends on an event rather than a promise. */
  acquireShared(): Promise<() => void> {
    return this.acquire(false);
  }

  private async run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(exclusive);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push({ exclusive, grant: () => resolve(this.releaser(exclusive)) });
      this.drain();
    });
  }

  private releaser(exclusive: boolean): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.writer = false;
      else this.readers -= 1;
      this.drain();
    };
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.writer) {
      const next = this.queue[0];
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.writer = true;
      } else {
        this.readers += 1;
      }
      this.queue.shift();
      next.grant();
    }
  }
}
