import type { Server, ServerResponse } from 'node:http';
import { ConfigurationError } from '@strata/db-core';

/** What `gracefulShutdown` needs from `attachDb`'s result (or any equivalent). */
export interface ShutdownTarget {
  /** Flips readiness to failing. */
  beginShutdown(): void;
  /** Closes the database pool. */
  close(): Promise<void>;
}

/** Where signals come from: `process` by default; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Options of `gracefulShutdown`. */
export interface GracefulShutdownOptions {
  /** The attached database (`attachDb`'s result): readiness flips at once, the pool closes last. */
  readonly database?: ShutdownTarget;
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`; `false` installs none. */
  readonly signals?: readonly NodeJS.Signals[] | false;
  /** Where to listen for the signals. Default `process`. */
  readonly signalSource?: SignalSource;
  /**
   * How long to keep serving after readiness flips, so load balancers stop sending traffic
   * before the listener closes. Default 0; behind Kubernetes, a few seconds.
   */
  readonly readinessDelayMillis?: number;
  /** How long in-flight requests may take to finish before their connections are cut. Default 10 000. */
  readonly drainTimeoutMillis?: number;
  /**
   * Hard bound on the whole shutdown: past it the process exits with code 1 whatever is
   * still pending. Default 30 000.
   */
  readonly timeoutMillis?: number;
  /** Extra cleanup after the requests drained and before the pool closes (queues, caches…). */
  readonly beforeClose?: () => void | Promise<void>;
  /**
   * Called with the exit code when a signal-started shutdown is over. Default
   * `process.exit`; `false` leaves the process running (tests, or an outer supervisor).
   */
  readonly exit?: ((code: number) => void) | false;
  /** Progress messages. Default `console.log`; pass `() => {}` to silence. */
  readonly log?: (message: string) => void;
}

/** The result of a shutdown. */
export interface ShutdownOutcome {
  /** True when everything drained and closed within the bounds. */
  readonly clean: boolean;
  /** True when `timeoutMillis` ran out before the shutdown finished. */
  readonly timedOut: boolean;
  /** Connections cut because their requests outlived `drainTimeoutMillis`. */
  readonly forcedConnections: number;
  /** Why the shutdown started: the signal name, or the reason given to `shutdown()`. */
  readonly reason: string;
  readonly durationMillis: number;
}

/** Controls the shutdown of one server. */
export interface ShutdownController {
  readonly state: 'running' | 'shutting_down' | 'stopped';
  /** Starts the shutdown (once; later calls return the same promise). Never throws. */
  shutdown(reason?: string): Promise<ShutdownOutcome>;
  /** Removes the signal listeners. */
  dispose(): void;
}

function requireMillis(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0) throw new ConfigurationError(`${name} must be a non-negative number, got ${String(value)}`);
  return resolved;
}

function delay(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/**
 * Graceful shutdown for an HTTP server with a Strata database, on SIGTERM/SIGINT (or when
 * `shutdown()` is called):
 *
 * 1. readiness fails at once (`attachDb`'s readiness route answers 503);
 * 2. after `readinessDelayMillis` the listener closes: no new connections; idle keep-alive
 *    connections close, and every response still in flight is sent with `Connection: close`;
 * 3. in-flight requests finish (their transactions commit) for up to `drainTimeoutMillis`,
 *    then the remaining connections are cut (their transactions roll back);
 * 4. `beforeClose` runs, then the pool closes once every connection is back;
 * 5. the process exits with 0, or with 1 if `timeoutMillis` ran out first.
 *
 * A second signal during the shutdown cuts the remaining connections at once.
 *
 * @example
 * const database = attachDb(app, db);
 * const server = app.listen(3000);
 * gracefulShutdown(server, { database, readinessDelayMillis: 5_000 });
 */
export function gracefulShutdown(server: Server, options: GracefulShutdownOptions = {}): ShutdownController {
  const readinessDelayMillis = requireMillis('readinessDelayMillis', options.readinessDelayMillis, 0);
  const drainTimeoutMillis = requireMillis('drainTimeoutMillis', options.drainTimeoutMillis, 10_000);
  const timeoutMillis = requireMillis('timeoutMillis', options.timeoutMillis, 30_000);
  const log = options.log ?? ((message: string) => console.log(message));
  const exit = options.exit === undefined ? (code: number) => process.exit(code) : options.exit;
  const signals = options.signals === false ? [] : (options.signals ?? ['SIGTERM', 'SIGINT']);
  const signalSource: SignalSource = options.signalSource ?? process;

  let state: ShutdownController['state'] = 'running';
  let running: Promise<ShutdownOutcome> | undefined;
  let forcedConnections = 0;
  const inFlight = new Set<ServerResponse>();

  const trackResponse = (_request: unknown, response: ServerResponse) => {
    if (state !== 'running') response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once('close', () => {
      inFlight.delete(response);
      if (state !== 'running') server.closeIdleConnections();
    });
  };
  server.prependListener('request', trackResponse);

  const cutConnections = () => {
    forcedConnections += inFlight.size;
    server.closeAllConnections();
  };

  const run = async (reason: string): Promise<ShutdownOutcome> => {
    const started = performance.now();
    state = 'shutting_down';
    options.database?.beginShutdown();
    log(`[strata] shutting down (${reason}): readiness is failing`);
    if (readinessDelayMillis > 0) await delay(readinessDelayMillis);

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const response of inFlight) response.shouldKeepAlive = false;
    server.closeIdleConnections();
    let drainTimer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        drainTimer = setTimeout(() => resolve(false), drainTimeoutMillis);
      }),
    ]);
    clearTimeout(drainTimer);
    if (!drained) {
      log(`[strata] ${inFlight.size} request(s) still running after ${drainTimeoutMillis} ms: closing their connections`);
      cutConnections();
      await closed;
    }
    await options.beforeClose?.();
    await options.database?.close();
    state = 'stopped';
    const durationMillis = performance.now() - started;
    log(`[strata] shutdown complete in ${Math.round(durationMillis)} ms`);
    return { clean: drained, timedOut: false, forcedConnections, reason, durationMillis };
  };

  const shutdown = (reason = 'shutdown requested'): Promise<ShutdownOutcome> => {
    running ??= (async () => {
      const started = performance.now();
      let hardTimer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          run(reason),
          new Promise<ShutdownOutcome>((resolve) => {
            hardTimer = setTimeout(() => {
              log(`[strata] shutdown did not finish within ${timeoutMillis} ms`);
              cutConnections();
              resolve({ clean: false, timedOut: true, forcedConnections, reason, durationMillis: performance.now() - started });
            }, timeoutMillis);
            hardTimer.unref();
          }),
        ]);
      } catch (error) {
        log(`[strata] shutdown failed: ${(error as Error)?.message ?? String(error)}`);
        return { clean: false, timedOut: false, forcedConnections, reason, durationMillis: performance.now() - started };
      } finally {
        clearTimeout(hardTimer);
      }
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      log(`[strata] ${signal} again: closing the remaining connections now`);
      cutConnections();
      return;
    }
    void shutdown(signal).then((outcome) => {
      if (exit) exit(outcome.timedOut ? 1 : 0);
    });
  };
  for (const signal of signals) signalSource.on(signal, onSignal);

  return {
    get state() {
      return state;
    },
    shutdown,
    dispose() {
      for (const signal of signals) signalSource.off(signal, onSignal);
      server.off('request', trackResponse);
    },
  };
}
