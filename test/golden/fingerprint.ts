/**
 * A fingerprint of computed numbers: sha256 over their exact float64 bits (and labels between
 * them), so a change in the last bit of any metric, probability or selection shows.
 */
import { createHash, type Hash } from "node:crypto";

export type Numbers = number | ArrayLike<number>;

export class Fingerprint {
  private readonly hash: Hash = createHash("sha256");

  /** A label, length-prefixed so "ab"+"c" and "a"+"bc" differ. */
  label(text: string): this {
    const bytes = Buffer.from(text, "utf8");
    this.numbers(bytes.length);
    this.hash.update(bytes);
    return this;
  }

  /** Numbers as float64, preceded by their count; float32 and int32 values convert exactly. */
  numbers(values: Numbers): this {
    const list = typeof values === "number" ? [values] : values;
    const out = new Float64Array(list.length + 1);
    out[0] = list.length;
    for (let i = 0; i < list.length; i++) out[i + 1] = list[i]!;
    this.hash.update(new Uint8Array(out.buffer));
    return this;
  }

  /** A label followed by its numbers. */
  field(name: string, values: Numbers): this {
    return this.label(name).numbers(values);
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}
