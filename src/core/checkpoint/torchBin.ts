import { unzipSync } from 'fflate';
import { TabTuneError } from '../errors';
import { unpickleStateDict, type TensorRef } from './pickle';
import { DTYPE_BYTES, numel, type RawTensor } from './rawTensor';

/**
 * Reads a pytorch_model.bin in PyTorch's zip format (torch ≥ 1.6): `<root>/data.pkl` holds the
 * state_dict pickle, `<root>/data/<key>` the raw little-endian storages. Tensors that are views
 * (an offset or non-contiguous strides into a shared storage) are copied out in C order.
 */
export function readTorchBin(bytes: Uint8Array, file = 'pytorch_model.bin'): Map<string, RawTensor> {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new TabTuneError(
      'checkpoint',
      `${file} is not a zip-format PyTorch file (it may be the legacy pre-1.6 format, or not a checkpoint). Re-save it with a current torch.save, or use model.safetensors.`,
    );
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new TabTuneError(
      'checkpoint',
      `${file} is a damaged zip archive (${(e as Error).message}). Download it again.`,
    );
  }
  const pklName = Object.keys(entries).find((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  if (!pklName)
    throw new TabTuneError('checkpoint', `${file} has no data.pkl inside; it is not a PyTorch checkpoint.`);
  const root = pklName.slice(0, pklName.length - 'data.pkl'.length);
  const dict = unpickleStateDict(entries[pklName] as Uint8Array, file);
  const out = new Map<string, RawTensor>();
  for (const [name, value] of dict) {
    const ref = value as TensorRef;
    if (ref?.kind !== 'tensor') continue; // non-tensor entries (e.g. a version number) are not weights
    const storage = entries[`${root}data/${ref.storage.key}`];
    if (!storage) {
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${name}" points to storage ${ref.storage.key}, which is missing. Download the file again.`,
      );
    }
    out.set(name, { dtype: ref.storage.dtype, shape: ref.size, bytes: gather(ref, storage, name, file) });
  }
  return out;
}

function gather(ref: TensorRef, storage: Uint8Array, name: string, file: string): Uint8Array {
  const width = DTYPE_BYTES[ref.storage.dtype];
  const n = numel(ref.size);
  const out = new Uint8Array(n * width);
  const index = new Array<number>(ref.size.length).fill(0);
  for (let i = 0; i < n; i++) {
    let src = ref.offset;
    for (let d = 0; d < index.length; d++) src += (index[d] as number) * (ref.stride[d] as number);
    const at = src * width;
    if (at + width > storage.byteLength) {
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${name}" reads past the end of its storage. The file is corrupt; download it again.`,
      );
    }
    out.set(storage.subarray(at, at + width), i * width);
    for (let d = index.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (ref.size[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}
