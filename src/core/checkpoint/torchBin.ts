import { TabTuneError } from '../errors';
import { unpickleStateDict, type TensorRef } from './pickle';
import { DTYPE_BYTES, numel, type RawTensor } from './rawTensor';
import { inflateEntry, zipEntries } from './zip';

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
  const entries = zipEntries(bytes, file);
  const pklName = [...entries.keys()].find((n) => n === 'data.pkl' || n.endsWith('/data.pkl'));
  if (!pklName)
    throw new TabTuneError('checkpoint', `${file} has no data.pkl inside; it is not a PyTorch checkpoint.`);
  const root = pklName.slice(0, pklName.length - 'data.pkl'.length);
  const dict = unpickleStateDict(inflateEntry(bytes, entries.get(pklName)!, file, MAX_PICKLE_BYTES), file);
  const refs = [...dict].filter((e): e is [string, TensorRef] => (e[1] as TensorRef)?.kind === 'tensor');
  // Only the storages the pickle's tensors read are inflated, each no larger than those tensors reach into it.
  const reach = new Map<string, { bytes: number; tensor: string }>();
  for (const [name, ref] of refs) {
    const r = reach.get(ref.storage.key);
    const bytes = extent(ref) * DTYPE_BYTES[ref.storage.dtype];
    if (!r || bytes > r.bytes) reach.set(ref.storage.key, { bytes, tensor: name });
  }
  const storages = new Map<string, Uint8Array>();
  for (const [key, { bytes: need, tensor }] of reach) {
    const entry = entries.get(`${root}data/${key}`);
    if (!entry)
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${tensor}" points to storage ${key}, which is missing. Download the file again.`,
      );
    if (entry.size < need)
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${tensor}" reads past the end of its storage. The file is corrupt; download it again.`,
      );
    storages.set(
      key,
      inflateEntry(bytes, entry, file, need + Math.max(need, SLACK_BYTES), `tensor "${tensor}"'s storage`),
    );
  }
  const out = new Map<string, RawTensor>();
  for (const [name, ref] of refs)
    out.set(name, {
      dtype: ref.storage.dtype,
      shape: ref.size,
      bytes: gather(ref, storages.get(ref.storage.key)!, name, file),
    });
  return out;
}

/** The pickle of a state dict is names and references: a few hundred kilobytes for BERT-large. */
const MAX_PICKLE_BYTES = 64 << 20;
/** A storage may hold a little more than its tensors read (a saved slice of a larger one), never much more. */
const SLACK_BYTES = 1 << 20;

/** How many values of its storage a tensor reaches: its furthest element, plus one (0 for an empty tensor). */
function extent(ref: TensorRef): number {
  if (ref.size.some((d) => d === 0)) return 0;
  return ref.size.reduce((end, d, i) => end + (d - 1) * (ref.stride[i] ?? 0), ref.offset) + 1;
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
