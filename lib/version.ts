import { readFileSync } from "node:fs";

/** This package's version: part of every run id, since results may change between versions. */
export const version: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
