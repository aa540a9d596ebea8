/**
 * What every command-line tool of the repository shares: the error for a command line it cannot run, and the parsing
 * of its arguments with Node's `util.parseArgs`, whose own errors would name Node's internals rather than the tool.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the tool cannot run: the tool prints the message in one line and exits (2, where not documented otherwise). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options of a tool, as `util.parseArgs` takes them. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A parsed command line: each option given, by name (a string, or true for a flag), and the positionals in order. */
export interface CommandLine<O extends OptionsConfig> {
  readonly values: { readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean };
  readonly positionals: string[];
}

/**
 * The command line parsed by `util.parseArgs` (`--name value`, `--name=value`, short aliases, `--` ends the options),
 * positionals allowed (each tool checks its own).
 * @param see appended to the message of an unknown option or a missing value, e.g. `; see npm run local -- --help`
 * @throws UsageError `unknown option --x`, `--out needs a value` (a separate value must not start with `-`), or
 *   `--push takes no value`
 */
export function parseCommandLine<const O extends OptionsConfig>(argv: readonly string[], options: O, see = ''): CommandLine<O> {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const type = Object.hasOwn(options, token.name) ? options[token.name].type : undefined;
    if (type === undefined) throw new UsageError(`unknown option ${token.rawName}${see}`);
    // As util.parseArgs' strict mode: a separate value that looks like an option (`--env --verbose`) is a missing one.
    const missing = token.value === undefined || (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-'));
    if (type === 'string' && missing) throw new UsageError(`${token.rawName} needs a value${see}`);
    if (type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value${see}`);
  }
  // Checked above, so the strict parse cannot fail; it types the values by the options.
  return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as CommandLine<O>;
}
