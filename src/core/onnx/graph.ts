import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

/** The element types TabTune's graphs use. */
export type ElementType = 'float32' | 'int64' | 'int8' | 'uint8';
const TYPE: Record<ElementType, number> = {
  float32: DataType.FLOAT,
  int64: DataType.INT64,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
};

/** A tensor's dimensions: a number, or a name for one that varies ("batch", "sequence"). */
export type Dims = ReadonlyArray<number | string>;

/** An attribute of a node: a number (int or float as the operator defines it), an int list, or a string. */
export type Attr = { int: number } | { float: number } | { ints: number[] } | { string: string };

/** The opset the graphs are written for (LayerNormalization is in 17; ONNX Runtime Web runs it). */
export const OPSET = 17;
/** The ONNX IR version that goes with opset 17. */
const IR_VERSION = 8;

/**
 * An ONNX graph built node by node: initializers (the weights, stored raw, little-endian), nodes with generated
 * output names, and the graph's inputs and outputs. `model()` encodes the ModelProto with onnx-proto (ONNX's own
 * schema, compiled for protobufjs).
 */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private count = 0;

  /** A graph input of `type` with `dims`. */
  input(name: string, type: ElementType, dims: Dims): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /** Makes `value` a graph output named `name`. */
  output(value: string, name: string, type: ElementType, dims: Dims): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [this.claim(name)], name: `${name}_out` });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A constant tensor (a weight, a shape, a scalar), stored in the graph. */
  constant(
    name: string,
    type: ElementType,
    dims: readonly number[],
    data: ArrayLike<number> | BigInt64Array,
  ): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n)
      throw new Error(`ONNX constant ${name}: ${data.length} values for dims [${dims.join(', ')}]`);
    this.initializers.push({
      name: this.claim(name),
      dataType: TYPE[type],
      dims: [...dims],
      rawData: rawBytes(type, data),
    });
    return name;
  }

  /** One int64 vector (shapes, axes). */
  ints(name: string, values: readonly number[]): string {
    return this.constant(name, 'int64', [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** One float32 scalar. */
  scalar(name: string, value: number): string {
    return this.constant(name, 'float32', [], [value]);
  }

  /** A node of `op` on `inputs` ('' for an optional input left out); returns its outputs' names. */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, outputs = 1): string[] {
    const id = this.count++;
    const out = Array.from({ length: outputs }, (_, i) =>
      this.claim(`${op}_${id}${outputs > 1 ? `_${i}` : ''}`),
    );
    this.nodes.push({
      opType: op,
      name: `${op}_${id}`,
      input: [...inputs],
      output: out,
      attribute: Object.entries(attrs).map(([name, a]) => attribute(name, a)),
    });
    return out;
  }

  /** `node` with one output. */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}): string {
    return this.node(op, inputs, attrs)[0]!;
  }

  /** The encoded model: what `onnx/model.onnx` holds. */
  model(docString: string): Uint8Array {
    return onnx.ModelProto.encode({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'TabTune',
      docString,
      graph: {
        name: 'tabtune',
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    }).finish();
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph: the name ${name} is used twice`);
    this.names.add(name);
    return name;
  }
}

function valueInfo(name: string, type: ElementType, dims: Dims): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  if ('int' in a) return { name, type: AttrType.INT, i: a.int };
  if ('float' in a) return { name, type: AttrType.FLOAT, f: a.float };
  if ('ints' in a) return { name, type: AttrType.INTS, ints: a.ints };
  return { name, type: AttrType.STRING, s: new TextEncoder().encode(a.string) };
}

/** A tensor's values as ONNX's raw_data: little-endian, as typed arrays are on every platform TabTune runs on. */
function rawBytes(type: ElementType, data: ArrayLike<number> | BigInt64Array): Uint8Array {
  // Typed arrays of the right type are viewed, not copied: a BERT-base export holds 110 M weights.
  const typed =
    type === 'float32'
      ? data instanceof Float32Array
        ? data
        : Float32Array.from(data as ArrayLike<number>)
      : type === 'int64'
        ? data instanceof BigInt64Array
          ? data
          : BigInt64Array.from(Array.from(data as ArrayLike<number>, BigInt))
        : type === 'int8'
          ? data instanceof Int8Array
            ? data
            : Int8Array.from(data as ArrayLike<number>)
          : Uint8Array.from(data as ArrayLike<number>);
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}
