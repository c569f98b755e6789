/**
 * Runs at most `limit` uploads at once, first come first served: a dozen recordings dropped together
 * do not share the line twelve ways (each crawling, none finishing), and each one's progress means
 * something. A task's promise settling (either way) frees its place for the next one.
 */
export class UploadQueue {
  private readonly waiting: { id: string; start: () => Promise<unknown> }[] = [];
  private readonly running = new Set<string>();

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`An upload queue needs room for at least one upload, not ${limit}`);
  }

  /** Starts `start` now if there is room, else when there is. */
  add(id: string, start: () => Promise<unknown>): void {
    this.waiting.push({ id, start });
    this.pump();
  }

  /** Takes out a task that has not started; true if it was waiting. A running one is the caller's to abort. */
  drop(id: string): boolean {
    const index = this.waiting.findIndex((task) => task.id === id);
    if (index < 0) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  /** Takes out every task that has not started. */
  clear(): void {
    this.waiting.length = 0;
  }

  isWaiting(id: string): boolean {
    return this.waiting.some((task) => task.id === id);
  }

  get active(): number {
    return this.running.size;
  }

  private pump(): void {
    while (this.running.size < this.limit && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.running.add(task.id);
      let settled: Promise<unknown>;
      try {
        settled = task.start();
      } catch (error) {
        settled = Promise.reject(error);
      }
      // The task reports its own failure; the queue only needs to know it is over.
      void Promise.resolve(settled)
        .catch(() => undefined)
        .then(() => {
          this.running.delete(task.id);
          this.pump();
        });
    }
  }
}
