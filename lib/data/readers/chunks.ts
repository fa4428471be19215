/**
 * A file read in chunks, for the streaming table readers: each chunk's bytes (to hash) and its
 * text, decoded as UTF-8 across chunk boundaries (a character split between two chunks comes out
 * whole). The byte-order mark is kept, as `readText` keeps it, so the readers see the same text.
 */
import { createReadStream } from "node:fs";
import { why } from "../files.ts";

/** Default chunk: large enough that per-chunk costs vanish, small next to any output array. */
export const CHUNK_BYTES = 1 << 20;

export interface ChunkHandlers {
  /** Bytes to read at a time (tests force tiny ones); default 1 MiB. */
  chunkSize?: number;
  bytes?(chunk: Uint8Array): void;
  text(text: string): void;
}

export async function readChunks(path: string, handlers: ChunkHandlers): Promise<void> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const stream = createReadStream(path, { highWaterMark: handlers.chunkSize ?? CHUNK_BYTES });
  // A handler's error (a parse error) passes through as it is; only the stream's own errors are read errors.
  let failed: { error: unknown } | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        handlers.bytes?.(chunk);
        const text = decoder.decode(chunk, { stream: true });
        if (text !== "") handlers.text(text);
      } catch (error) {
        failed = { error };
        break;
      }
    }
  } catch (error) {
    throw new Error(`${path}: cannot read data file (${why(error)})`);
  }
  if (failed) throw failed.error;
  const rest = decoder.decode();
  if (rest !== "") handlers.text(rest);
}
