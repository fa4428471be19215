// Observable Framework config for the static report site (`observable build`).
// The site must build and render offline, so nothing here may point at a CDN or web font.
export default {
  title: "Active-learning report",
  root: "src",
  // Tests build into a temporary directory; everything else gets dist/.
  output: process.env.AL_SITE_OUT ?? "dist",
  pages: [
    { name: "Home", path: "/" },
    { name: "Sampler comparison", path: "/sampler-comparison" },
  ],
  // The default is a Google Fonts stylesheet (plus a fonts.gstatic.com preconnect): an
  // external request that fails offline; the theme falls back to system fonts. Instead ship
  // Framework's own Inputs stylesheet: it is added only for the implicit (CDN) Inputs import,
  // and pages import Inputs from node_modules, which would otherwise leave inputs unstyled.
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  // The default footer links to observablehq.com; keep the site self-contained.
  footer: "Active-learning report, built with Observable Framework.",
  search: false,
  // Links end in .html (and "/" is index.html): a plain static server (python3 -m http.server)
  // has no clean-URL rewriting, so /sampler-comparison would be a 404 there.
  preserveExtension: true,
  preserveIndex: true,
};
