import * as tf from "@tensorflow/tfjs";
import { tsImport } from "tsx/esm/api";
import * as mine from "../lib/learners/tfjs-learner.ts";
const other = await tsImport("/tmp/plug1/exp.ts", import.meta.url);
const viaFile = await tsImport("/work/h-plugins/lib/learners/tfjs-learner.ts", import.meta.url);
console.log("tf same as learner.tf:", tf === mine.tf, "learner module same via tsImport:", viaFile.tfjsLearner === mine.tfjsLearner, "tf same via tsImport:", viaFile.tf === tf);
