/** Types of bin/cli-cache.js (plain JavaScript: it runs before anything is compiled). */

/** Where a checkout keeps its compiled CLIs: `<root>/.cache/al-cli`, one folder per key. */
export function cacheDir(root: string): string;
/** The freshness key of `root`'s lib/ (16 hex digits): changes with any edit, new or deleted file under lib/ and with the build's other inputs. */
export function sourceKey(root: string): string;
/** The compiled lib/cli/main.js of `root` as a file URL (compiled first when missing), or undefined when it cannot be made. */
export function compiledCli(root: string): Promise<string | undefined>;
