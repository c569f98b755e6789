import type { PGlite } from '@electric-sql/pglite';

/*
 * Every client of the embedded server shares PGlite's single backend session, so a client that
 * has a transaction open, or is halfway through an extended-query batch (Parse … Sync), must own
 * the backend until it is done. pglite-socket 0.2.17's own queue only honours open transactions:
 * a batch split across TCP reads (large parameters) lets another client's Parse replace the
 * unnamed statement in between, and the first client then executes the other's query. It also
 * stops serving everyone for good once PGlite throws on a message. This queue replaces it.
 */

// Extended-query messages after which the backend waits for more of the same batch.
const MID_BATCH = new Set([...'PBDECH'].map((c) => c.charCodeAt(0)));
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

interface Job {
  handlerId: number;
  run(): Promise<void>;
  fail(error: Error): void;
}

/** The interface PGLiteSocketHandler expects of its `queryQueue`. */
export class BackendQueue {
  private jobs: Job[] = [];
  private owner: number | null = null;
  private midBatch = false;
  private busy = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.push({
        handlerId,
        fail: reject,
        run: async () => {
          let bytes = 0;
          try {
            await this.db.runExclusive(() =>
              this.db.execProtocolRawStream(message, {
                onRawData: (data) => {
                  bytes += data.length;
                  onData(data);
                },
              }),
            );
            resolve(bytes);
          } catch (error) {
            reject(error);
          }
          this.midBatch = MID_BATCH.has(message[0]);
          this.owner = this.midBatch || this.db.isInTransaction() ? handlerId : null;
        },
      });
    });
  }

  clearQueueForHandler(handlerId: number): void {
    const gone = this.jobs.filter((job) => job.handlerId === handlerId);
    this.jobs = this.jobs.filter((job) => job.handlerId !== handlerId);
    for (const job of gone) job.fail(new Error('Client disconnected'));
  }

  /** Called when a client goes away: undo whatever it left open so the others can proceed. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    // Queued like a message so it cannot overtake one of this client's messages still running.
    return new Promise((resolve) => {
      this.push({
        handlerId,
        fail: () => resolve(),
        run: async () => {
          if (this.owner !== handlerId) return resolve();
          try {
            if (this.midBatch) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
            if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
          } finally {
            this.owner = null;
            this.midBatch = false;
            resolve();
          }
        },
      });
    });
  }

  /** Resolves once no message is running; used before closing the database. */
  idle(): Promise<void> {
    return this.drained;
  }

  private push(job: Job): void {
    this.jobs.push(job);
    if (this.busy) return;
    this.busy = true;
    this.drained = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // Each job settles its own caller; one failing must not stall everyone else.
      for (let job = this.next(); job; job = this.next()) await job.run().catch(() => {});
    } finally {
      this.busy = false;
    }
  }

  private next(): Job | undefined {
    const index = this.owner === null ? 0 : this.jobs.findIndex((job) => job.handlerId === this.owner);
    return index < 0 ? undefined : this.jobs.splice(index, 1)[0];
  }
}
