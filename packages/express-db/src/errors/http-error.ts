import { StrataError } from '@strata/db-core';

/** Options of `HttpError`. */
export interface HttpErrorOptions {
  /** Short, human-readable summary of the problem type. Default: the status text. */
  readonly title?: string;
  /** A problem type URI. Default `about:blank`. */
  readonly type?: string;
  /** Extra headers to send with the response (e.g. `WWW-Authenticate`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * An error that carries the HTTP response it should become. The error handler sends its
 * `status`, and its message as the problem `detail`: the message is written by the app for
 * the client, so it is shown as is (unlike database errors, whose text never is).
 *
 * @example
 * if (!session) throw new HttpError(401, 'Sign in first');
 */
export class HttpError extends StrataError {
  /** The HTTP status code, 400–599. */
  readonly status: number;
  readonly title: string | undefined;
  readonly type: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, { code: `HTTP_${status}`, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${String(status)}`);
    }
    this.status = status;
    this.title = options.title;
    this.type = options.type;
    this.headers = options.headers ?? {};
  }
}

/**
 * The requested row does not exist (or row-level security hides it): HTTP 404. Thrown by
 * `getOr404` and `firstOr404`.
 *
 * @example
 * throw new NotFoundError('No such project');
 */
export class NotFoundError extends HttpError {
  constructor(message = 'The requested resource was not found', options: HttpErrorOptions = {}) {
    super(404, message, options);
  }
}
