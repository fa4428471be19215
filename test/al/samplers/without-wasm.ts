import { afterEach, vi } from "vitest";

/** Imports a module afresh with the global WebAssembly hidden, so its kernels are undefined. */
export async function withoutWasm<T>(load: () => Promise<T>): Promise<T> {
  vi.stubGlobal("WebAssembly", undefined);
  vi.resetModules();
  try {
    return await load();
  } finally {
    vi.unstubAllGlobals();
    vi.resetModules();
  }
}

afterEach(() => vi.unstubAllGlobals());
