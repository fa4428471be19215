/**
 * `npm run bench -- --with-python-refs`: makes sure Debian's Python references are installed
 * (python3-sklearn, python3-torch, python3-scipy, for /usr/bin/python3) before the cases run.
 * Missing ones are installed with apt-get when we are root; otherwise the error says what to run.
 */
import { spawnSync } from "node:child_process";

/** Python module → the Debian package that provides it for /usr/bin/python3. */
export const pythonRefPackages: Readonly<Record<string, string>> = { sklearn: "python3-sklearn", torch: "python3-torch", scipy: "python3-scipy" };

export interface PythonRefsOptions {
  /** The interpreter the packages install into; default /usr/bin/python3. */
  python?: string;
  /** Whether apt-get may be run; default: this process is root. */
  root?: boolean;
  log?: (line: string) => void;
}

/** The modules of pythonRefPackages that `python` cannot import. */
export function missingPythonRefs(python = "/usr/bin/python3"): string[] {
  return Object.keys(pythonRefPackages).filter((module) => spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore", timeout: 120_000 }).status !== 0);
}

const run = (command: string, args: string[]): number => spawnSync(command, args, { stdio: ["ignore", 2, 2] }).status ?? 1;

/** Installs what is missing (root) or throws a one-line error saying how. */
export function ensurePythonRefs(options: PythonRefsOptions = {}): void {
  const python = options.python ?? "/usr/bin/python3";
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const missing = missingPythonRefs(python);
  if (missing.length === 0) return void log(`bench: python references present (${Object.keys(pythonRefPackages).join(", ")} for ${python})`);
  const packages = missing.map((m) => pythonRefPackages[m]!);
  const root = options.root ?? process.getuid?.() === 0;
  if (!root) {
    throw new Error(`--with-python-refs: ${python} lacks ${missing.join(", ")}; install them with \`sudo apt-get install -y ${packages.join(" ")}\` (or run the bench as root)`);
  }
  log(`bench: installing ${packages.join(" ")} with apt-get`);
  if (run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]) !== 0) {
    // A fresh machine may have no package lists yet.
    if (run("apt-get", ["update"]) !== 0 || run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]) !== 0) {
      throw new Error(`--with-python-refs: apt-get could not install ${packages.join(" ")}; see its output above`);
    }
  }
  const still = missingPythonRefs(python);
  if (still.length > 0) throw new Error(`--with-python-refs: after apt-get, ${python} still lacks ${still.join(", ")}`);
}
