import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { decodeBase64, thumbnails, toRgba } from "../../src/components/thumbnails.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

describe("toRgba / decodeBase64", () => {
  it("repeats grey into R, G, B and keeps RGB, alpha opaque", () => {
    expect([...toRgba(Uint8Array.from([0, 128]), 1)]).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
    expect([...toRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3)]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(() => toRgba(Uint8Array.from([1]), 4)).toThrow(/channels must be 1 or 3; got 4/);
  });

  it("decodes base64 to bytes", () => {
    expect([...decodeBase64(Buffer.from([0, 255, 7]).toString("base64"))]).toEqual([0, 255, 7]);
  });
});

describe("thumbnails", () => {
  it("builds one canvas per image, sized to the image, with captions and titles as text", () => {
    const a = Buffer.from([0, 50, 100, 150, 200, 250]).toString("base64");
    const grid = thumbnails(
      [
        { pixels: a, caption: "<i>shirt</i>", title: "pool row 3" },
        { pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]), caption: "boot" },
      ],
      { height: 2, width: 3, channels: 1, scale: 10, document },
    );
    expect(grid.className).toBe("thumbnails");
    const canvases = [...grid.querySelectorAll("canvas")];
    expect(canvases).toHaveLength(2);
    expect(canvases.map((c) => [c.width, c.height, c.style.width, c.style.height])).toEqual([
      [3, 2, "30px", "20px"],
      [3, 2, "30px", "20px"],
    ]);
    expect(canvases[0]!.title).toBe("pool row 3");
    expect([...grid.querySelectorAll("figcaption")].map((f) => f.textContent)).toEqual(["<i>shirt</i>", "boot"]);
    expect(grid.querySelectorAll("i")).toHaveLength(0);
  });

  it("refuses pixels that do not fit the shape", () => {
    expect(() => thumbnails([{ pixels: Uint8Array.from([1, 2, 3]) }], { height: 2, width: 2, channels: 1, document })).toThrow(
      /an image has 3 bytes, expected 2×2×1 = 4/,
    );
  });

  it("is empty for no images", () => {
    expect(thumbnails([], { height: 28, width: 28, channels: 1, document }).children).toHaveLength(0);
  });
});
