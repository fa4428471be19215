import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { REPORT_PAGES, reportHref, reportNav } from "../../src/components/report-nav.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

describe("reportNav", () => {
  it("links every other page relatively, from the main page and from a sub-page", () => {
    expect(reportHref("a", "", "modes")).toBe("./a/modes.html");
    expect(reportHref("a", "modes", "")).toBe("../a.html");
    expect(reportHref("a", "modes", "runs")).toBe("../a/runs.html");
    expect(reportHref("a", "runs", "selections")).toBe("../a/selections-0.html");
    const nav = reportNav("a", { current: "seeds", document });
    const links = [...nav.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(links[0]).toBe("../../index.html");
    expect(links).toHaveLength(REPORT_PAGES.length); // home + every page but the current one
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe("Seed variance");
  });

  it("keeps a hostile name as text and leaves out omitted pages", () => {
    const nav = reportNav('<img src=x onerror=alert(1)>', { current: "", omit: ["selections"], document });
    expect(nav.querySelector("img")).toBeNull();
    expect([...nav.querySelectorAll("a")].some((a) => a.textContent === "Selection maps")).toBe(false);
    expect(nav.querySelector("a")?.getAttribute("href")).toBe("../index.html");
  });
});
