/**
 * Picks the fastest TensorFlow.js backend that loads here: native GPU → native CPU → wasm →
 * pure-JS cpu, unless one is forced (option or $AL_BACKEND). The result is recorded with every
 * run, because seeded training is bit-identical only within one backend.
 */
import * as tf from "@tensorflow/tfjs";
import { SpecError } from "../experiments/errors.ts";

export type BackendChoice = "node-gpu" | "node" | "wasm" | "cpu";
export const backendChoices: readonly BackendChoice[] = ["node-gpu", "node", "wasm", "cpu"];

export interface SelectedBackend {
  /** What the user asks for (and what the run records). */
  choice: BackendChoice;
  /** tfjs's own backend name (e.g. "tensorflow", "wasm", "cpu"). */
  tfName: string;
  /** Whether project kernels were registered on top of the stock backend. */
  customKernels: boolean;
  /** Why earlier choices were skipped, for the log. */
  skipped: string[];
}

const nativePackages: Record<"node-gpu" | "node", string> = {
  "node-gpu": "@tensorflow/tfjs-node-gpu",
  node: "@tensorflow/tfjs-node",
};

/** Validates a backend name from a flag or environment variable. */
export function parseBackendChoice(value: string, source: string): BackendChoice {
  if ((backendChoices as readonly string[]).includes(value)) return value as BackendChoice;
  throw new SpecError(`${source}: unknown backend "${value}"; expected one of ${backendChoices.join(", ")}`);
}

async function tryNative(choice: "node-gpu" | "node"): Promise<string | undefined> {
  const pkg = nativePackages[choice];
  // Native bindings print banners with console.log; stdout may be data (loaders, --json).
  const log = console.log;
  console.log = console.error;
  try {
    await import(pkg);
    if (!(await tf.setBackend("tensorflow"))) return `${pkg} loaded but its backend did not initialise`;
    return undefined;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "";
    return `${pkg} is not installed or failed to load (${message})`;
  } finally {
    console.log = log;
  }
}

async function tryWasm(): Promise<string | undefined> {
  try {
    await import("@tensorflow/tfjs-backend-wasm");
    // setBackend returns false (and tfjs silently stays on cpu) when wasm cannot start.
    if (!(await tf.setBackend("wasm"))) return "the wasm backend failed to initialise";
    return undefined;
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm failed to load (${(error as Error).message})`;
  }
}

let selected: SelectedBackend | undefined;

/**
 * Selects and initialises a backend once per process. `force` (or $AL_BACKEND) picks one and
 * fails loudly if it cannot load, rather than silently running 30× slower.
 */
export async function selectBackend(options: { force?: BackendChoice; warn?: (line: string) => void } = {}): Promise<SelectedBackend> {
  const warn = options.warn ?? ((line: string) => process.stderr.write(line + "\n"));
  const forced = options.force ?? (process.env.AL_BACKEND ? parseBackendChoice(process.env.AL_BACKEND, "AL_BACKEND") : undefined);
  if (selected && (!forced || forced === selected.choice)) return selected;
  const order = forced ? [forced] : backendChoices;
  const skipped: string[] = [];
  for (const choice of order) {
    let failure: string | undefined;
    if (choice === "node-gpu" || choice === "node") failure = await tryNative(choice);
    else if (choice === "wasm") failure = await tryWasm();
    else failure = (await tf.setBackend("cpu")) ? undefined : "the cpu backend failed to initialise";
    if (failure === undefined) {
      await tf.ready();
      if (choice === "cpu") {
        warn("warning: training on the pure-JS cpu backend (≈30× slower than wasm); use --backend wasm or install @tensorflow/tfjs-node");
      }
      // Stock wasm cannot train convolutions or embeddings (no filter/segment-sum gradients): add ours.
      const customKernels = choice === "wasm" && (await import("./wasm-kernels/index.ts")).registerWasmKernels().length > 0;
      selected = { choice, tfName: tf.getBackend(), customKernels, skipped };
      return selected;
    }
    if (forced) throw new Error(`backend "${forced}" cannot be used: ${failure}`);
    skipped.push(failure);
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${skipped.join("; ")}`);
}
