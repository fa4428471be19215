/**
 * Conv2DBackpropFilter for the wasm backend (the filter gradient of conv2d and conv1d; tfjs's
 * wasm backend has none). It is computed as a *forward* convolution, so it runs on wasm's SIMD
 * conv2d (XNNPACK) instead of a JS loop:
 *
 *   dW[fh, fw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + fh − padTop, ow·sw + fw − padLeft, ci] · dy[n, oh, ow, co]
 *
 * Read ci as the batch, (fh, fw) as the output pixel, n as the input channel and (oh, ow) as the
 * filter tap: that is conv2d(x' = x as [C_in, H, W, N], filter' = dy as [outH, outW, N, C_out])
 * with the original stride as the dilation and stride 1, giving [C_in, fH, fW, C_out]; slice off
 * the rows/columns past the filter, and transpose to [fH, fW, C_in, C_out].
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { callWasmKernel, release, sizeOf } from "./wasm-calls.ts";

export const conv2dBackpropFilterName = "Conv2DBackpropFilter";

interface Attrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
  for (const [name, t] of [["x", x], ["dy", dy]] as const) {
    if (t.dtype !== "float32") throw new Error(`Conv2DBackpropFilter (wasm): ${name} has dtype ${t.dtype}; only float32 is supported (cast it first)`);
    if (t.shape.length !== 4) throw new Error(`Conv2DBackpropFilter (wasm): ${name} has rank ${t.shape.length}; expected a rank-4 tensor`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1, // tfjs's conv2d gradient only exists for dilation 1
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const expected = info.dataFormat === "channelsLast" ? [batchSize, outHeight, outWidth, outChannels] : [batchSize, outChannels, outHeight, outWidth];
  if (dy.shape.join() !== expected.join()) {
    throw new Error(`Conv2DBackpropFilter (wasm): dy has shape [${dy.shape.join(", ")}], but x, the filter and the attributes give [${expected.join(", ")}]`);
  }
  const outShape = [filterHeight, filterWidth, inChannels, outChannels];
  if (sizeOf(dy.shape) === 0 || sizeOf(x.shape) === 0) {
    // Nothing to sum over: the gradient is zero (makeOutput leaves the heap uninitialised).
    const zeros = backend.makeOutput(outShape, "float32");
    (backend.typedArrayFromHeap(zeros) as Float32Array).fill(0);
    return zeros;
  }

  const channelsLast = info.dataFormat === "channelsLast";
  // x → [C_in, H, W, N]; dy → [outH, outW, N, C_out].
  const xT = callWasmKernel(backend, "Transpose", { x }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] });
  const dyT = callWasmKernel(backend, "Transpose", { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] });

  // Pad the far side just enough that every filter tap has an output row/column (never less
  // than zero; extra outputs, e.g. from 'valid' with a stride that leaves rows unused, are sliced off).
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - inHeight - top);
  const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - inWidth - left);
  const conv = callWasmKernel(
    backend,
    "Conv2D",
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: "NHWC",
      dilations: [strideHeight, strideWidth],
      dimRoundingMode: undefined,
    },
  );
  release(backend, xT, dyT);

  let taps = conv;
  if (conv.shape[1] !== filterHeight || conv.shape[2] !== filterWidth) {
    taps = callWasmKernel(backend, "Slice", { x: conv }, { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] });
    release(backend, conv);
  }
  const dW = callWasmKernel(backend, "Transpose", { x: taps }, { perm: [1, 2, 0, 3] });
  release(backend, taps);
  return dW;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: conv2dBackpropFilterName,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter,
};
