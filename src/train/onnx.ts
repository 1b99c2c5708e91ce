/**
 * ONNX export of the L2 models for a batch of windows, with onnx-proto.
 *
 * Linear (src/train/logistic.ts): threat = Sigmoid(sum_k values * w[indices] + b).
 *
 * MLP (src/train/mlp.ts). Inputs are padded per window (padding: index 0, value 0, which
 * adds nothing):
 *   indices int32 [B, K], values float [B, K]
 *   E (int8, per-column scale) -> Gather -> DequantizeLinear(axis 2) -> [B, K, H]
 *   * values -> ReduceSum(axis 1) -> + b1 -> Relu -> h [B, H]
 *   threat = Sigmoid(h w2 + b2)   [B, 1]
 *   family = Softmax(h Wf^T + bf) [B, F]
 * E is stored as int8 with one scale per hidden column (symmetric), a
 * quarter of float32; `quantize` is the same rounding the reference uses.
 */
import onnxProto from 'onnx-proto';
import type { Mlp } from './mlp.js';
import type { BinaryLinear } from './logistic.js';

const { onnx } = onnxProto;
export const OPSET = 13;

const T = onnx.TensorProto.DataType;

function tensor(name: string, dims: number[], dataType: number, raw: Uint8Array) {
  return onnx.TensorProto.create({ name, dims, dataType, rawData: raw });
}
const f32 = (name: string, dims: number[], data: Float32Array) => tensor(name, dims, T.FLOAT, new Uint8Array(new Float32Array(data).buffer));
const i64 = (name: string, values: number[]) => onnx.TensorProto.create({ name, dims: [values.length], dataType: T.INT64, int64Data: values });
const attrInt = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const node = (opType: string, input: string[], output: string[], attribute: ReturnType<typeof attrInt>[] = []) => onnx.NodeProto.create({ name: output[0], opType, input, output, attribute });
function valueInfo(name: string, elemType: number, shape: (number | string)[]) {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim: shape.map((s) => (typeof s === 'string' ? { dimParam: s } : { dimValue: s })) } } } });
}

/** Symmetric int8 quantisation of E per hidden column: E ~= q * scale[col]. */
export function quantize(E: Float32Array, hidden: number): { q: Int8Array; scale: Float32Array } {
  const scale = new Float32Array(hidden);
  for (let i = 0; i < E.length; i++) {
    const c = i % hidden;
    const a = Math.abs(E[i]);
    if (a > scale[c]) scale[c] = a;
  }
  for (let c = 0; c < hidden; c++) scale[c] = scale[c] > 0 ? scale[c] / 127 : 1;
  const q = new Int8Array(E.length);
  for (let i = 0; i < E.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(E[i] / scale[i % hidden])));
  return { q, scale };
}

/** The model with E replaced by its dequantised int8 form (what ONNX computes). */
export function dequantized(m: Mlp): Mlp {
  const { q, scale } = quantize(m.E, m.hidden);
  const E = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) E[i] = q[i] * scale[i % m.hidden];
  return { ...m, E };
}

export function exportMlpOnnx(m: Mlp, docString: string): Uint8Array {
  const H = m.hidden;
  const F = m.families;
  const { q, scale } = quantize(m.E, H);
  const WfT = new Float32Array(H * F);
  for (let f = 0; f < F; f++) for (let c = 0; c < H; c++) WfT[c * F + f] = m.Wf[f * H + c];
  const graph = onnx.GraphProto.create({
    name: 'raxe_l2_mlp',
    node: [
      node('Gather', ['Eq', 'indices'], ['rows_q'], [attrInt('axis', 0)]),
      node('DequantizeLinear', ['rows_q', 'E_scale', 'E_zero'], ['rows'], [attrInt('axis', 2)]),
      node('Unsqueeze', ['values', 'axis2'], ['values3']),
      node('Mul', ['rows', 'values3'], ['weighted']),
      node('ReduceSum', ['weighted', 'axis1'], ['bag'], [attrInt('keepdims', 0)]),
      node('Add', ['bag', 'b1'], ['pre']),
      node('Relu', ['pre'], ['h']),
      node('MatMul', ['h', 'w2'], ['t0']),
      node('Add', ['t0', 'b2'], ['t1']),
      node('Sigmoid', ['t1'], ['threat']),
      node('MatMul', ['h', 'WfT'], ['f0']),
      node('Add', ['f0', 'bf'], ['f1']),
      node('Softmax', ['f1'], ['family'], [attrInt('axis', -1)]),
    ],
    initializer: [
      tensor('Eq', [m.dim, H], T.INT8, new Uint8Array(q.buffer)),
      f32('E_scale', [H], scale),
      tensor('E_zero', [H], T.INT8, new Uint8Array(H)),
      f32('b1', [H], m.b1),
      f32('w2', [H, 1], m.w2),
      f32('b2', [1], m.b2),
      f32('WfT', [H, F], WfT),
      f32('bf', [F], m.bf),
      i64('axis1', [1]),
      i64('axis2', [2]),
    ],
    input: [valueInfo('indices', T.INT32, ['B', 'K']), valueInfo('values', T.FLOAT, ['B', 'K'])],
    output: [valueInfo('threat', T.FLOAT, ['B', 1]), valueInfo('family', T.FLOAT, ['B', F])],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: OPSET }], producerName: 'raxe', producerVersion: '0.2.0', docString, graph });
  return onnx.ModelProto.encode(model).finish();
}

/** The linear model: threat only (it has no family head; the runtime then names the first family). */
export function exportLinearOnnx(m: BinaryLinear, docString: string): Uint8Array {
  const graph = onnx.GraphProto.create({
    name: 'raxe_l2_linear',
    node: [
      node('Gather', ['w', 'indices'], ['rows'], [attrInt('axis', 0)]),
      node('Mul', ['rows', 'values'], ['weighted']),
      node('ReduceSum', ['weighted', 'axis1'], ['z0'], [attrInt('keepdims', 1)]),
      node('Add', ['z0', 'b'], ['z']),
      node('Sigmoid', ['z'], ['threat']),
    ],
    initializer: [f32('w', [m.dim], m.w), f32('b', [1], new Float32Array([m.b])), i64('axis1', [1])],
    input: [valueInfo('indices', T.INT32, ['B', 'K']), valueInfo('values', T.FLOAT, ['B', 'K'])],
    output: [valueInfo('threat', T.FLOAT, ['B', 1])],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: OPSET }], producerName: 'raxe', producerVersion: '0.2.0', docString, graph });
  return onnx.ModelProto.encode(model).finish();
}
