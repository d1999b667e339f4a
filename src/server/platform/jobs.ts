/**
 * Long work runs as a job: pg-boss 10 holds the queue in PostgreSQL (schema `pgboss`; on PGlite through a
 * small executeSql adapter, DESIGN.md §7), so several app instances share it; `job_runs` holds what the UI
 * shows (status, progress, message, result).
 */
import { and, eq, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { Database, Executor } from '../db/client.ts';
import { jobRuns } from '../db/schema/index.ts';
import type { Actor } from './audit.ts';

export interface JobContext {
  jobId: string;
  payload: Record<string, unknown>;
  /** Records progress (0–100) and an optional message. */
  progress(percent: number, message?: string): Promise<void>;
}
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown>>;

/** Thrown by a handler to fail the job at once (no retry) with a result to show, e.g. row errors. */
export class JobFailure extends Error {
  constructor(
    message: string,
    public readonly result: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class JobService {
  private boss: PgBoss | null = null;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly afterSuccess = new Map<string, (jobId: string, result: unknown) => Promise<void>>();
  private started = false;
  /** Set by stop(): running jobs end at their next progress report. */
  private stopping = false;

  constructor(
    private readonly database: Database,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  private readonly dailies = new Set<string>();
  private readonly onInterrupted: ((jobIds: string[]) => Promise<void>)[] = [];

  private sweeper: NodeJS.Timeout | null = null;

  /** Fails interrupted jobs and lets modules clean up after them. */
  async sweepInterrupted(atStart: boolean) {
    try {
      const interrupted = await this.failInterrupted(atStart);
      if (interrupted.length || atStart) for (const fn of this.onInterrupted) await fn(interrupted);
    } catch (e) {
      this.log('sweep of interrupted jobs failed', e);
    }
  }

  /** Runs after a sweep found interrupted jobs (modules clean up what such jobs left behind). */
  afterInterrupted(fn: (jobIds: string[]) => Promise<void>) {
    this.onInterrupted.push(fn);
  }
  private timer: NodeJS.Timeout | null = null;

  register(
    type: string,
    handler: JobHandler,
    opts: {
      daily?: boolean;
      /** Runs after the job is recorded as succeeded (its writes are visible); failures are logged, not retried. */
      onSucceeded?: (jobId: string, result: unknown) => Promise<void>;
    } = {},
  ) {
    this.handlers.set(type, handler);
    if (opts.daily) this.dailies.add(type);
    if (opts.onSucceeded) this.afterSuccess.set(type, opts.onSucceeded);
  }

  /**
   * Queues a daily job once per calendar day across all instances (an advisory lock serialises the check).
   * Returns the job id, or null when today's run exists already.
   */
  async runDailyOnce(type: string, day: string, actor: Actor): Promise<string | null> {
    const id = await this.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`miaopu-daily:${type}`}))`);
      const [existing] = await tx
        .select({ id: jobRuns.id })
        .from(jobRuns)
        .where(and(eq(jobRuns.type, type), sql`${jobRuns.payload}->>'day' = ${day}`));
      if (existing) return null;
      return this.record(tx, actor, type, { day }, null);
    });
    if (id) await this.dispatch(id);
    return id;
  }

  /**
   * Re-sends jobs still `queued` a minute after they were recorded: a process that died between the commit and
   * the dispatch leaves such rows behind (a job that is merely waiting in the queue runs once anyway).
   */
  async redispatchStale(): Promise<number> {
    const stale = await this.database.db
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(eq(jobRuns.status, 'queued'), sql`${jobRuns.createdAt} < now() - interval '1 minute'`));
    for (const j of stale) await this.dispatch(j.id);
    return stale.length;
  }

  /** Checks the daily jobs (and re-sends stale queued jobs) now and then every `everyMs`. */
  startDailySchedule(today: () => string, actor: Actor, everyMs = 3_600_000) {
    const tick = async () => {
      for (const type of this.dailies) {
        await this.runDailyOnce(type, today(), actor).catch((e) => this.log(`daily job ${type} not queued`, e));
      }
      await this.redispatchStale().catch((e) => this.log('re-dispatch of queued jobs failed', e));
    };
    void tick();
    this.timer = setInterval(() => void tick(), everyMs);
    this.timer.unref();
  }

  types() {
    return [...this.handlers.keys()];
  }

  async start(opts: { work: boolean }) {
    this.stopping = false;
    const { raw, exec } = this.database;
    const boss = new PgBoss({
      db: {
        executeSql: (text: string, values?: unknown[]) =>
          values && values.length > 0 ? raw(text, values) : exec(text),
      },
      schedule: false,
      supervise: true,
      migrate: true,
    } as unknown as PgBoss.ConstructorOptions);
    boss.on('error', (err) => this.log('job queue error', err));
    await boss.start();
    this.boss = boss;
    await this.sweepInterrupted(true);
    this.sweeper = setInterval(() => void this.sweepInterrupted(false), 15_000);
    this.sweeper.unref();
    for (const type of this.handlers.keys()) await boss.createQueue(type);
    if (opts.work) {
      for (const [type, handler] of this.handlers) {
        await boss.work(type, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
          await this.run(job!.data as { jobRunId: string }, handler);
        });
      }
    }
    this.started = true;
  }

  private async run(data: { jobRunId: string }, handler: JobHandler) {
    const { db } = this.database;
    // Claim the job atomically: a job dispatched twice (replay, sweeper, retry) runs once at a time.
    const [row] = await db
      .update(jobRuns)
      .set({
        status: 'running',
        startedAt: new Date(),
        heartbeatAt: new Date(),
        attempts: sql`${jobRuns.attempts} + 1`,
        message: null,
      })
      .where(and(eq(jobRuns.id, data.jobRunId), eq(jobRuns.status, 'queued')))
      .returning();
    if (!row) return;
    try {
      const result = await handler({
        jobId: row.id,
        payload: row.payload,
        progress: async (percent, message) => {
          // a stopping server ends long jobs at their next progress report instead of waiting for them: the run
          // goes back to the queue (or fails on its last attempt) and runs again after the restart
          if (this.stopping) throw new Error('interrupted: the server is stopping');
          await db
            .update(jobRuns)
            .set({
              progress: Math.max(0, Math.min(100, Math.round(percent))),
              heartbeatAt: new Date(),
              ...(message ? { message } : {}),
            })
            .where(eq(jobRuns.id, row.id));
        },
      });
      await db
        .update(jobRuns)
        .set({ status: 'succeeded', progress: 100, result, finishedAt: new Date() })
        .where(eq(jobRuns.id, row.id));
      const after = this.afterSuccess.get(row.type);
      if (after) await after(row.id, result).catch((e) => this.log(`after ${row.type} ${row.id}`, e));
    } catch (e) {
      const final = e instanceof JobFailure || row.attempts >= MAX_ATTEMPTS;
      await db
        .update(jobRuns)
        .set({
          status: final ? 'failed' : 'queued',
          message: (e as Error).message.slice(0, 500),
          ...(e instanceof JobFailure ? { result: e.result } : {}),
          ...(final ? { finishedAt: new Date() } : {}),
        })
        .where(eq(jobRuns.id, row.id));
      if (!final) throw e;
    }
  }

  /**
   * Marks jobs whose process died as failed: at start-up on PGlite every job still `running` (the data
   * directory lock means no other process runs them); otherwise those whose heartbeat is older than 30 s (a
   * running job reports progress more often than that).
   */
  async failInterrupted(atStart = false): Promise<string[]> {
    const stale =
      atStart && this.database.kind === 'pglite'
        ? sql`true`
        : sql`coalesce(${jobRuns.heartbeatAt}, ${jobRuns.startedAt}) < now() - interval '30 seconds'`;
    const rows = await this.database.db
      .update(jobRuns)
      .set({ status: 'failed', message: 'interrupted: the process running it stopped', finishedAt: new Date() })
      .where(and(eq(jobRuns.status, 'running'), stale))
      .returning({ id: jobRuns.id });
    return rows.map((r) => r.id);
  }

  /**
   * Records a job in `ex` (may be a transaction, so the job exists iff the change that asked for it does).
   * Call `dispatch` after the transaction commits: on PGlite a queue write inside an open transaction waits
   * for that transaction and would deadlock.
   */
  async record(
    ex: Executor,
    actor: Actor,
    type: string,
    payload: Record<string, unknown>,
    regionCode: string | null,
  ): Promise<string> {
    if (!this.handlers.has(type)) throw new Error(`unknown job type ${type}`);
    const [row] = await ex
      .insert(jobRuns)
      .values({ type, payload, createdBy: actor.userId, createdByUsername: actor.username, regionCode })
      .returning({ id: jobRuns.id });
    return row!.id;
  }

  async dispatch(jobRunId: string): Promise<void> {
    if (!this.boss || !this.started) throw new Error('job queue is not running');
    const [row] = await this.database.db.select({ type: jobRuns.type }).from(jobRuns).where(eq(jobRuns.id, jobRunId));
    if (!row) throw new Error(`no job ${jobRunId}`);
    await this.boss.send(row.type, { jobRunId }, { retryLimit: MAX_ATTEMPTS - 1, retryDelay: 2 });
  }

  async stop() {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    if (!this.boss) return;
    const boss = this.boss;
    this.boss = null;
    this.started = false;
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

const MAX_ATTEMPTS = 3;
