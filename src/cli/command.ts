// The shape of one command in the table in main.ts.
import type { OptionName } from './args.js';
import type { Context } from './context.js';

export interface Command {
  /** The command words, e.g. "user add". */
  name: string;
  /** What follows the name in a usage line, e.g. "NAME --name TEXT". */
  usage: string;
  summary: string;
  /** Extra lines for `concordat COMMAND --help`. */
  details?: string;
  options: readonly OptionName[];
  /** How many positional arguments follow the command words. */
  args: { min: number; max: number };
  /** Resolves to the exit code (0 when it returns nothing). */
  run(ctx: Context): Promise<number | void>;
}
