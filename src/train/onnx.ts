/**
 * ONNX export of the linear model with onnx-proto (protobufjs' generated
 * ONNX schema):  indices:int32[n], values:float[n] ->
 *   Gather(W, indices) * Unsqueeze(values, 1) -> ReduceSum(axis 0) + b -> Softmax -> probs:float[C]
 */
import onnxProto from 'onnx-proto';
import type { LinearModel } from '../core/l2/model.js';

const { onnx } = onnxProto;
export const OPSET = 13;

function floats(name: string, dims: number[], data: Float32Array) {
  const copy = new Float32Array(data); // little-endian raw data, as ONNX stores it
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(copy.buffer) });
}

function int64s(name: string, values: number[]) {
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });
}

function valueInfo(name: string, elemType: number, shape: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((s) => (typeof s === 'string' ? { dimParam: s } : { dimValue: s })) } } },
  });
}

function intAttr(name: string, i: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
}

export function exportOnnx(m: LinearModel, docString: string): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const graph = onnx.GraphProto.create({
    name: 'raxe_l2_linear',
    node: [
      onnx.NodeProto.create({ name: 'gather', opType: 'Gather', input: ['W', 'indices'], output: ['rows'], attribute: [intAttr('axis', 0)] }),
      onnx.NodeProto.create({ name: 'col', opType: 'Unsqueeze', input: ['values', 'axis1'], output: ['values_col'] }),
      onnx.NodeProto.create({ name: 'scale', opType: 'Mul', input: ['rows', 'values_col'], output: ['weighted'] }),
      onnx.NodeProto.create({ name: 'sum', opType: 'ReduceSum', input: ['weighted', 'axis0'], output: ['summed'], attribute: [intAttr('keepdims', 0)] }),
      onnx.NodeProto.create({ name: 'bias', opType: 'Add', input: ['summed', 'b'], output: ['logits'] }),
      onnx.NodeProto.create({ name: 'softmax', opType: 'Softmax', input: ['logits'], output: ['probs'], attribute: [intAttr('axis', -1)] }),
    ],
    initializer: [floats('W', [m.dim, m.classes], m.W), floats('b', [m.classes], m.b), int64s('axis1', [1]), int64s('axis0', [0])],
    input: [valueInfo('indices', T.INT32, ['n']), valueInfo('values', T.FLOAT, ['n'])],
    output: [valueInfo('probs', T.FLOAT, [m.classes])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'raxe',
    producerVersion: '0.1.0',
    docString,
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
