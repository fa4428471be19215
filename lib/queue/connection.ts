/**
 * Connections to the queue's Redis. A first connection is tried once, with a short timeout and
 * no retries, so an unreachable server is one clear error, not an endless reconnect; after that
 * BullMQ's connections retry forever, so workers ride out a Redis restart.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { RedisTarget } from "./redis-url.ts";

/** The BullMQ queue every al-lab grid's runs go to (one per Redis database). */
export const QUEUE_NAME = "al-runs";

function base(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/** Options for BullMQ's long-lived connections: reconnect with a capped back-off, never give up. */
export function connectionOptions(target: RedisTarget): RedisOptions {
  return { ...base(target), maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(250 * attempt, 2_000) };
}

/** Pings the server once; throws `cannot reach Redis at <url>: <why>` when it does not answer. */
export async function checkRedis(target: RedisTarget, timeoutMs = 3_000): Promise<void> {
  const client = new Redis({ ...base(target), lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let reason: string | undefined;
  // ioredis also reports failures as "error" events; keep the first as the reason.
  client.on("error", (error: Error) => (reason ??= error.message));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${target.url}: ${reason ?? (error as Error).message}; is redis-server running there (and the port open)?`);
  } finally {
    client.disconnect();
  }
}
