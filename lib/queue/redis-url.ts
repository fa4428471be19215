/**
 * `--queue redis://host:port[/db]`: the Redis server a grid's jobs live on. Parsed once at the
 * edge into ioredis options, with a one-line error for anything else.
 */
import { SpecError } from "../experiments/errors.ts";

export interface RedisTarget {
  /** The URL as the user gave it, for messages (password hidden). */
  url: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

export function parseRedisUrl(value: string, flag = "--queue"): RedisTarget {
  const hint = `expected redis://host:port[/db], e.g. ${flag} redis://127.0.0.1:6379/0`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SpecError(`${flag} ${value}: not a URL; ${hint}`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new SpecError(`${flag} ${value}: the scheme is ${url.protocol.replace(/:$/, "")}; ${hint}`);
  if (url.hostname === "") throw new SpecError(`${flag} ${value}: names no host; ${hint}`);
  const port = url.port === "" ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, "");
  if (path !== "" && !/^\d+$/.test(path)) throw new SpecError(`${flag} ${value}: the database "${path}" is not a number; ${hint}`);
  if (url.search !== "" || url.hash !== "") throw new SpecError(`${flag} ${value}: takes no query or fragment; ${hint}`);
  const shown = new URL(url.href);
  if (shown.password) shown.password = "***";
  return {
    url: shown.href.replace(/\/$/, ""),
    // IPv6 literals come bracketed from URL.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    db: path === "" ? 0 : Number(path),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === "rediss:",
  };
}
