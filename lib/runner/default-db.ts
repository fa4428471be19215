/** Where `al` keeps its results unless told otherwise (--db). A leaf module, so a verb's help can name it without loading the runner. */
export const defaultDb = "results/al.duckdb";
