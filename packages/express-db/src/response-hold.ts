import { OutgoingMessage } from 'node:http';
import type { Response } from 'express';

type OutputMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type OutputFunction = (this: Response, ...args: unknown[]) => unknown;

interface HeldCall {
  readonly method: OutputMethod;
  readonly args: unknown[];
}

const holdKey = Symbol('strata.response-hold');

type HoldableResponse = Response & { [holdKey]?: ResponseHold };

const originalHeadersSent = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'headersSent')?.get as
  | ((this: OutgoingMessage) => boolean)
  | undefined;

/*
 * The replacements are module-level functions shared by every response, found through a
 * symbol on the response: installing them is a few property stores with the same shape
 * every time. (A fresh closure and a fresh accessor per request cost V8 a new hidden class
 * each time, about 10 µs per request.)
 */
function holdingOutput(method: OutputMethod): OutputFunction {
  return function heldOutput(this: Response, ...args: unknown[]): unknown {
    const hold = (this as HoldableResponse)[holdKey]!;
    return hold.holding ? hold.hold(method, args) : hold.originals[method].apply(this, args);
  };
}

const heldMethods: Readonly<Record<OutputMethod, OutputFunction>> = {
  writeHead: holdingOutput('writeHead'),
  write: holdingOutput('write'),
  end: holdingOutput('end'),
  flushHeaders: holdingOutput('flushHeaders'),
};

const headersSentProperty: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: HoldableResponse): boolean {
    const hold = this[holdKey];
    if (hold?.holding) return hold.hasOutput;
    return Boolean(originalHeadersSent?.call(this as unknown as OutgoingMessage));
  },
};

/**
 * Holds a response's output until the request's transaction has ended.
 *
 * Every way Express or a handler can send something (`res.json`, `res.send`, `res.render`,
 * `res.redirect`, `res.sendFile`, streams piped into `res`, `res.writeHead`) ends in one of
 * four `http.ServerResponse` methods: `writeHead`, `write`, `end` or `flushHeaders`. They
 * are replaced on this one response object: the first call reports the status the handler
 * chose (so the scope can commit or roll back), and that call and any that follow are
 * queued. `release()` stops holding and replays the queue in order; `discard()` drops it,
 * so nothing the handler produced (not even a Set-Cookie header) reaches the client when
 * the commit fails. The replacements stay on the response and call straight through once
 * the hold is over: deleting them would put the object in V8's slow dictionary mode.
 */
export class ResponseHold {
  holding = false;
  readonly originals: Record<OutputMethod, OutputFunction>;
  private readonly calls: HeldCall[] = [];
  private endQueued = false;

  constructor(
    private readonly response: Response,
    /** Called once, synchronously, on the first output call, with the status it will send. */
    private readonly onFirstOutput: (statusCode: number) => void,
  ) {
    const target = response as unknown as Record<OutputMethod, OutputFunction>;
    this.originals = { writeHead: target.writeHead, write: target.write, end: target.end, flushHeaders: target.flushHeaders };
  }

  /** Starts holding output. */
  install(): void {
    if (this.holding) return;
    this.holding = true;
    const response = this.response as HoldableResponse;
    response[holdKey] = this;
    response.writeHead = heldMethods.writeHead as Response['writeHead'];
    response.write = heldMethods.write as Response['write'];
    response.end = heldMethods.end as Response['end'];
    response.flushHeaders = heldMethods.flushHeaders as Response['flushHeaders'];
    // Express and finalhandler check headersSent before writing an error response: once the
    // handler has "sent" (queued) its response, they must not queue a second one.
    Object.defineProperty(response, 'headersSent', headersSentProperty);
  }

  /** Whether the handler has produced output that is being held. */
  get hasOutput(): boolean {
    return this.calls.length > 0;
  }

  /** Stops holding and sends what was queued, in order. */
  release(): void {
    const calls = this.restore();
    if (this.response.destroyed) return;
    for (const call of calls) this.originals[call.method].apply(this.response, call.args);
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

  /** Queues one output call (called by the shared replacements while holding). */
  hold(method: OutputMethod, args: unknown[]): unknown {
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
