import type { Response } from 'express';

type OutputMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders';

interface HeldCall {
  readonly method: OutputMethod;
  readonly args: unknown[];
}

const outputMethods: readonly OutputMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/**
 * Holds a response's output until the request's transaction has ended.
 *
 * Every way Express or a handler can send something (`res.json`, `res.send`, `res.render`,
 * `res.redirect`, `res.sendFile`, streams piped into `res`, `res.writeHead`) ends in one of
 * four `http.ServerResponse` methods: `writeHead`, `write`, `end` or `flushHeaders`. They
 * are replaced on this one response object: the first call reports the status the handler
 * chose (so the scope can commit or roll back), and that call and any that follow are
 * queued. `release()` restores the methods and replays the queue in order; `discard()`
 * drops it, so nothing the handler produced (not even a Set-Cookie header) reaches the
 * client when the commit fails.
 */
export class ResponseHold {
  private readonly calls: HeldCall[] = [];
  private holding = false;
  private endQueued = false;

  constructor(
    private readonly response: Response,
    /** Called once, synchronously, on the first output call, with the status it will send. */
    private readonly onFirstOutput: (statusCode: number) => void,
  ) {}

  /** Starts holding output. */
  install(): void {
    if (this.holding) return;
    this.holding = true;
    const target = this.response as unknown as Record<string, unknown>;
    for (const method of outputMethods) {
      target[method] = (...args: unknown[]) => this.hold(method, args);
    }
    // Express and finalhandler check headersSent before writing an error response: once the
    // handler has "sent" (queued) its response, they must not queue a second one.
    Object.defineProperty(this.response, 'headersSent', {
      configurable: true,
      get: () => this.calls.length > 0,
    });
  }

  /** Whether the handler has produced output that is being held. */
  get hasOutput(): boolean {
    return this.calls.length > 0;
  }

  /** Stops holding and sends what was queued, in order. */
  release(): void {
    const calls = this.restore();
    if (this.response.destroyed) return;
    const target = this.response as unknown as Record<OutputMethod, (...args: unknown[]) => unknown>;
    for (const call of calls) target[call.method].apply(this.response, call.args);
  }

  /**
   * Stops holding and drops what was queued, with every header the handler set, so an
   * error response can be written from scratch. Write callbacks are not called.
   */
  discard(): void {
    this.restore();
    if (!this.response.headersSent) {
      for (const name of this.response.getHeaderNames()) this.response.removeHeader(name);
    }
  }

  private restore(): HeldCall[] {
    if (this.holding) {
      this.holding = false;
      const target = this.response as unknown as Record<string, unknown>;
      for (const method of outputMethods) delete target[method];
      delete target.headersSent;
    }
    return this.calls.splice(0);
  }

  private hold(method: OutputMethod, args: unknown[]): unknown {
    if (this.endQueued) {
      // Node would fail a write after end; a held response simply ignores it.
      return method === 'write' ? false : this.response;
    }
    const first = this.calls.length === 0;
    this.calls.push({ method, args });
    if (method === 'end') this.endQueued = true;
    if (first) {
      const statusCode = method === 'writeHead' && typeof args[0] === 'number' ? args[0] : this.response.statusCode;
      this.onFirstOutput(statusCode);
    }
    if (method === 'write') return true;
    if (method === 'flushHeaders') return undefined;
    return this.response;
  }
}
