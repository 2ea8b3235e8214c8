import { parseArgs } from 'node:util';
import { CliUsageError } from './exit-codes.js';

export const commandNames = ['up', 'down', 'status', 'create', 'baseline', 'sync'] as const;
export type CommandName = (typeof commandNames)[number];

/** Every option of every command; which command accepts which is checked afterwards. */
const optionDefinitions = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  dir: { type: 'string' },
  schema: { type: 'string' },
  table: { type: 'string' },
  json: { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  to: { type: 'string' },
  steps: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-out-of-order': { type: 'boolean' },
  'allow-missing': { type: 'boolean' },
  'accept-drift': { type: 'boolean' },
  'restamp-drift': { type: 'boolean' },
  'fail-on-pending': { type: 'boolean' },
  sql: { type: 'boolean' },
  ts: { type: 'boolean' },
  'maintenance-database': { type: 'string' },
} as const;

type OptionName = keyof typeof optionDefinitions;

const globalOptions: readonly OptionName[] = ['help', 'url', 'dir', 'schema', 'table', 'json', 'lock-timeout'];
const upOptions: readonly OptionName[] = ['to', 'dry-run', 'allow-out-of-order', 'allow-missing', 'accept-drift', 'restamp-drift'];

const optionsByCommand: Record<CommandName, readonly OptionName[]> = {
  up: upOptions,
  down: ['steps', 'to', 'dry-run', 'accept-drift'],
  status: ['fail-on-pending'],
  create: ['sql', 'ts'],
  baseline: ['dry-run'],
  sync: ['maintenance-database', 'allow-out-of-order', 'allow-missing', 'accept-drift', 'restamp-drift'],
};

/** The parsed command line. */
export interface CliArguments {
  readonly command: CommandName | undefined;
  /** Positional arguments after the command (e.g. the NAME of `create`/`baseline`). */
  readonly positionals: readonly string[];
  readonly help: boolean;
  readonly values: { readonly [K in OptionName]?: (typeof optionDefinitions)[K]['type'] extends 'string' ? string : boolean };
}

/**
 * Parses argv with Node's own `util.parseArgs` (strict: unknown flags are usage errors),
 * then checks that each flag belongs to the command.
 */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionDefinitions; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: optionDefinitions, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const [commandWord, ...positionals] = parsed.positionals;
  const values = parsed.values as CliArguments['values'];
  if (commandWord === undefined) return { command: undefined, positionals: [], help: true, values };
  if (!(commandNames as readonly string[]).includes(commandWord)) {
    throw new CliUsageError(`Unknown command "${commandWord}". Commands: ${commandNames.join(', ')}.`);
  }
  const command = commandWord as CommandName;
  const allowed = new Set([...globalOptions, ...optionsByCommand[command]]);
  for (const name of Object.keys(values) as OptionName[]) {
    if (!allowed.has(name)) throw new CliUsageError(`Option --${name} does not apply to "${command}".`);
  }
  return { command, positionals, help: values.help === true, values };
}

/** A positive integer option, or a usage error. */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CliUsageError(`--${name} must be a positive integer, got "${value}".`);
  return Number(value);
}

/** A non-negative number of seconds, converted to milliseconds. */
export function secondsOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new CliUsageError(`--${name} must be a number of seconds ≥ 0, got "${value}".`);
  return Math.round(seconds * 1000);
}
