/**
 * A private redis-server for a test: on a free loopback port, persisting nothing, stopped by the
 * test. Never a system service: CI installs the binary (.ci/run) and each test file starts its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless started with `persist`). */
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `PING` on the port answers `+PONG`. */
async function ready(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("error", () => resolve(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (d) => (socket.destroy(), resolve(d.toString().startsWith("+PONG"))));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer within the deadline`);
}

/**
 * `persist`: a folder for an append-only file synced on every write, so a restart keeps the
 * queue (the Redis-restart test); otherwise nothing is written anywhere.
 */
export async function startRedis(options: { persist?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const persistence = options.persist === undefined ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", "always", "--dir", options.persist];
  const start = async (): Promise<void> => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence], { stdio: "ignore" });
    const failed = new Promise<never>((_, reject) => child!.once("error", (e) => reject(new Error(`cannot start redis-server (${e.message}); install it (apt-get install redis-server)`))));
    await Promise.race([ready(port, Date.now() + 20_000), failed]);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
