import type { Response } from 'express';

type OutputMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders';

interface HeldCall {
  readonly method: OutputMethod;
  readonly args: unknown[];
}

const outputMethods: readonly OutputMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** The getter of a property on the object's prototype chain (ServerResponse's headersSent). */
function findGetter(target: object, property: string): (() => unknown) | undefined {
  for (let current: object | null = target; current; current = Object.getPrototypeOf(current)) {
    const descriptor = Object.getOwnPropertyDescriptor(current, property);
    if (descriptor) return descriptor.get;
  }
  return undefined;
}

/**
 * Holds a response's output until the request's transaction has ended.
 *
 * Every way Express or a handler can send something (`res.json`, `res.send`, `res.render`,
 * `res.redirect`, `res.sendFile`, streams piped into `res`, `res.writeHead`) ends in one of
 * four `http.ServerResponse` methods: `writeHead`, `write`, `end` or `flushHeaders`. They
 * are replaced on this one response object: the first call reports the status the handler
 * chose (so the scope can commit or roll back), and that call and any that follow are
 * queued. `release()` stops holding and replays the queue in order; `discard()`
 * drops it, so nothing the handler produced (not even a Set-Cookie header) reaches the
 * client when the commit fails.
 */
export class ResponseHold {
  private readonly calls: HeldCall[] = [];
  private holding = false;
  private endQueued = false;
  private readonly originals: Partial<Record<OutputMethod, (...args: unknown[]) => unknown>> = {};

  constructor(
    private readonly response: Response,
    /** Called once, synchronously, on the first output call, with the status it will send. */
    private readonly onFirstOutput: (statusCode: number) => void,
  ) {}

  /** Starts holding output. */
  install(): void {
    if (this.holding) return;
    this.holding = true;
    const response = this.response as unknown as Record<string, unknown>;
    for (const method of outputMethods) {
      const original = response[method] as (...args: unknown[]) => unknown;
      this.originals[method] = original;
      // Own properties that stay after release (they then call straight through): deleting
      // them again would turn the response into a dictionary-mode object, slowing every
      // property access Node's HTTP code makes on it afterwards.
      response[method] = (...args: unknown[]) => (this.holding ? this.hold(method, args) : original.apply(this.response, args));
    }
    // Express and finalhandler check headersSent before writing an error response: once the
    // handler has "sent" (queued) its response, they must not queue a second one.
    const headersSent = findGetter(this.response, 'headersSent');
    Object.defineProperty(this.response, 'headersSent', {
      configurable: true,
      get: () => (this.holding ? this.calls.length > 0 : Boolean(headersSent?.call(this.response))),
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
    for (const call of calls) this.originals[call.method]!.apply(this.response, call.args);
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
    this.holding = false;
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
