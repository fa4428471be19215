/**
 * A reference script kept running for a whole bench case: one Python process (AL_PYTHON, default
 * the python3 on PATH, as the bench's one-shot references use) started with `serve`, fed one JSON request
 * per line on stdin and answering one JSON line each on stdout. The data are loaded once per
 * file, so interleaved runs time only the work, and the script reports its own CPU time
 * (time.process_time) and peak memory with every answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

export interface PythonServerOptions {
  /** The interpreter; default AL_PYTHON, else python3. */
  python?: string;
  /** Extra environment (thread counts, …). */
  env?: Record<string, string>;
}

export class PythonServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private stderr = "";
  private exited: Error | undefined;

  constructor(
    readonly script: string,
    options: PythonServerOptions = {},
  ) {
    const python = options.python ?? process.env.AL_PYTHON ?? "python3";
    this.child = spawn(python, [script, "serve"], { env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4000);
    });
    const fail = (error: Error) => {
      this.exited = error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    this.child.on("error", (error) => fail(new Error(`${python} ${script}: ${error.message} (set AL_PYTHON to an interpreter with numpy)`)));
    // Writing to a script that has died is answered by its exit, not an unhandled EPIPE.
    this.child.stdin.on("error", () => {});
    this.child.on("exit", (code) => fail(new Error(`${python} ${script} exited (${code}): ${this.stderr.trim().split("\n").pop() ?? ""}`)));
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.resolve(line));
  }

  /** Sends one request and waits for its answer; an answer with `error` rejects. */
  async call<T>(request: Record<string, unknown>): Promise<T> {
    if (this.exited) throw this.exited;
    const line = await new Promise<string>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify(request) + "\n");
    });
    const answer = JSON.parse(line) as T & { error?: string };
    if (answer.error) throw new Error(`${this.script}: ${answer.error}`);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
