import { describe, expect, it } from "vitest";
import { ensurePythonRefs, missingPythonRefs, pythonRefPackages } from "../../bench/python-refs.ts";

// An "interpreter" that can import none of them: node fails `-c "import sklearn"` as a Python
// without the packages does, so the probe runs for real.
const bare = process.execPath;

describe("bench --with-python-refs", () => {
  it("finds every module missing from an interpreter that cannot import them", () => {
    expect(missingPythonRefs(bare)).toEqual(Object.keys(pythonRefPackages));
  });

  it("says how to install them when it may not run apt-get, naming the Debian packages", () => {
    expect(() => ensurePythonRefs({ python: bare, root: false, log: () => {} })).toThrow(
      /^--with-python-refs: .* lacks sklearn, torch, scipy; install them with `sudo apt-get install -y python3-sklearn python3-torch python3-scipy`/,
    );
  });

});
