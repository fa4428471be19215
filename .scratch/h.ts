import { tsImport } from "tsx/esm/api";
import { codeHash } from "../lib/experiments/plugins.ts";
for (const f of ["/tmp/plug1/ha.ts", "/tmp/plug1/hb.ts"]) { const m = await tsImport(f, import.meta.url); console.log(codeHash("sampler", m.s), JSON.stringify(m.s.defined.sources)); }
