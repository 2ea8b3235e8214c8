import { redactSecrets } from '@strata/db-core';

/** Where the CLI writes; injectable so tests can capture it. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

type Style = 'green' | 'red' | 'yellow' | 'dim' | 'bold';

// Plain SGR codes: util.styleText decides on its own (from process.stdout) whether to colour
// in some Node versions, which is not the stream this output writes to.
const styles: Record<Style, [number, number]> = { green: [32, 39], red: [31, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] };

/**
 * Writes human or JSON output. Colour only on a terminal, never with --json, NO_COLOR or
 * TERM=dumb. Every line passes through a redactor: no password reaches the output even
 * when an error message quotes a connection string.
 */
export class TerminalOutput {
  private readonly colour: boolean;

  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
    private readonly secrets: readonly string[] = [],
  ) {
    this.colour = !json && io.stdout.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  }

  redact(text: string): string {
    let result = redactSecrets(text);
    for (const secret of this.secrets) if (secret.length > 0) result = result.split(secret).join('***');
    return result;
  }

  paint(text: string, style: Style): string {
    const [open, close] = styles[style];
    return this.colour ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  }

  /** A line on stdout (human mode only). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${this.redact(text)}\n`);
  }

  /** A line on stderr, in both modes (progress notes, errors). */
  note(text: string): void {
    this.io.stderr.write(`${this.redact(text)}\n`);
  }

  /** The one JSON document of --json mode. */
  document(value: unknown): void {
    if (this.json) this.io.stdout.write(`${this.redact(JSON.stringify(value, null, 2))}\n`);
  }
}

/** The password of a connection string, to redact it verbatim wherever it might appear. */
export function passwordOf(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  try {
    const password = new URL(connectionString).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

export function formatMillis(millis: number): string {
  return millis < 1000 ? `${Math.round(millis)} ms` : `${(millis / 1000).toFixed(1)} s`;
}
