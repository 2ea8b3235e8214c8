import type pg from 'pg';

interface ReplicaState {
  readonly pool: pg.Pool;
  /** Until this time (ms since epoch) the replica is skipped after a connection failure. */
  downUntil: number;
}

/**
 * The read replicas of one engine: round-robin over the healthy ones, and a replica that
 * fails to connect is skipped for `recoveryMillis` (reads fall back to the others, then to
 * the primary) before it is tried again.
 */
export class ReplicaSet {
  private readonly replicas: ReplicaState[];
  private next = 0;

  constructor(
    pools: readonly pg.Pool[],
    private readonly recoveryMillis: number,
  ) {
    this.replicas = pools.map((pool) => ({ pool, downUntil: 0 }));
  }

  get pools(): readonly pg.Pool[] {
    return this.replicas.map((replica) => replica.pool);
  }

  /** Healthy replicas in the order to try them, starting with the next in rotation. */
  candidates(now = Date.now()): pg.Pool[] {
    const count = this.replicas.length;
    const start = this.next;
    this.next = (this.next + 1) % Math.max(1, count);
    const ordered: pg.Pool[] = [];
    for (let offset = 0; offset < count; offset += 1) {
      const replica = this.replicas[(start + offset) % count]!;
      if (replica.downUntil <= now) ordered.push(replica.pool);
    }
    return ordered;
  }

  markDown(pool: pg.Pool, now = Date.now()): void {
    const replica = this.replicas.find((candidate) => candidate.pool === pool);
    if (replica) replica.downUntil = now + this.recoveryMillis;
  }

  async end(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.pool.end()));
  }
}
