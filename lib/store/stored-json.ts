/** A JSON column (configs, versions, data files, maps) as a value: DuckDB returns it as text; unparsable or NULL → undefined. */
export function parseStoredJson(value: unknown): unknown {
  if (typeof value !== "string") return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
