/**
 * `al-lab/metrics`: the per-round metrics as pure functions of predictions, labels and
 * selections, with the catalogue that describes each stored metric name. Pure core.
 */
export * from "../al/metrics/index.ts";
export { argmaxRows, matrix, type Matrix } from "../al/matrix.ts";
