import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { findTorchPython } from "../../bench/torch-python.ts";

const script = fileURLToPath(new URL("../../bench/reference/loop_torch.py", import.meta.url));
const saved = process.env.AL_TORCH_PYTHON;
afterEach(() => {
  if (saved === undefined) delete process.env.AL_TORCH_PYTHON;
  else process.env.AL_TORCH_PYTHON = saved;
});

describe("the PyTorch interpreter for the loop bench", () => {
  it("takes only AL_TORCH_PYTHON when it is set, and says why it cannot be used and how to fix it", () => {
    // Real interpreters without torch: a missing file, and node (which fails to run the script).
    process.env.AL_TORCH_PYTHON = "/nonexistent/python3";
    const missing = findTorchPython(script);
    expect(missing).toEqual({ reason: expect.stringMatching(/^no interpreter with torch and numpy \(\/nonexistent\/python3: .*ENOENT.*\); install Debian's python3-torch \(npm run bench -- --with-python-refs\) or set AL_TORCH_PYTHON$/) });
    process.env.AL_TORCH_PYTHON = process.execPath;
    const reason = (findTorchPython(script) as { reason: string }).reason;
    expect(reason).toContain(process.execPath);
    expect(reason).not.toContain("/usr/bin/python3");
  });
});
