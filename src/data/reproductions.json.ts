/**
 * Data loader: the Reproductions index — each shipped study's title, citation, headline number
 * beside the paper's and verdict, plus what it ran on. Reads results/published only.
 */
console.log = console.error;
const { publishedStudies, studyPage } = await import("./reproduction-data.ts");
const { headlineText } = await import("../../lib/reproduce/verdict.ts");
const studies = [];
for (const study of publishedStudies()) {
  const page = await studyPage(study);
  studies.push({ study, title: page.title, citation: page.citation, profile: page.profile, headline: page.headline, text: headlineText(page.headline), meta: page.meta, outdated: page.outdated });
}
process.stdout.write(JSON.stringify(studies));
