import { packageJson } from "./package-root.ts";

/** This package's version: part of every run id, since results may change between versions. */
export const version: string = packageJson.version;
