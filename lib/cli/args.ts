import { parseArgs, type ParseArgsConfig } from "node:util";
import { SpecError } from "../experiments/errors.ts";

// The return type is spelled out so declarations can be emitted for the package (TS4058).
type Parsed<T extends NonNullable<ParseArgsConfig["options"]>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/** node:util parseArgs with its errors turned into one-line usage errors. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(verb: string, args: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new SpecError(`${(error as Error).message.split("\n")[0]} (see al ${verb} --help)`);
  }
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new SpecError(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}
