/** Where al reproduce writes and the site reads shipped results, relative to where they run; a leaf, so help loads nothing heavy. */
export const PUBLISHED_ROOT = "results/published";
