import { TabTuneError } from '../errors';

/** Tensor element types found in BERT checkpoints. Floats are what weights use; ints are buffers. */
export type DType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Record<DType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** A tensor as stored in a file: dtype, shape and little-endian bytes (C order, contiguous). */
export interface RawTensor {
  dtype: DType;
  shape: number[];
  bytes: Uint8Array;
}

/** A float32 tensor on the host, ready to become a tf.Variable. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** IEEE half → float. */
function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Widens F32/F16/BF16/F64 to float32; `name` is the tensor's key, for the error message. */
export function toFloat32(t: RawTensor, name: string, file: string): Float32Array {
  const n = numel(t.shape);
  // DataView: the bytes may sit at any offset inside the file (unaligned).
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const out = new Float32Array(n);
  switch (t.dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = f16ToF32(view.getUint16(i * 2, true));
      return out;
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = scratch.getFloat32(0);
      }
      return out;
    }
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    default:
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${name}" has dtype ${t.dtype}, but weights must be F32, F16 or BF16. The file may not be a model checkpoint.`,
      );
  }
}
