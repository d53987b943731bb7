import { TabTuneError } from '../errors';
import type { DType } from './rawTensor';

/**
 * A restricted unpickler for PyTorch state_dict files. It understands only the opcodes a state_dict
 * uses and only these globals; any other global is refused, never looked up or called. Unlike
 * Python's pickle it cannot run code: a REDUCE can only build an OrderedDict or a tensor reference.
 */
export const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const ALLOWED_GLOBALS = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  ...Object.keys(STORAGE_DTYPES).map((s) => `torch.${s}`),
]);

export interface StorageRef {
  kind: 'storage';
  key: string;
  dtype: DType;
}

export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

interface Global {
  kind: 'global';
  name: string;
}

const MARK = Symbol('mark');

export function unpickleStateDict(bytes: Uint8Array, file: string): Map<string, unknown> {
  const refuse = (what: string): never => {
    throw new TabTuneError(
      'pickle',
      `${file}: ${what}. A state_dict never needs this, so TabTune refuses to load the file (a pickle can run code). Use the checkpoint's model.safetensors, or re-save the weights with torch.save(model.state_dict()).`,
    );
  };
  const corrupt = (what: string): never => {
    throw new TabTuneError('pickle', `${file} is corrupt: ${what}. Download the checkpoint again.`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.byteLength) corrupt(`the pickle ends early at byte ${pos}`);
  };
  const u8 = () => (need(1), bytes[pos++] as number);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const utf8 = (n: number) => new TextDecoder().decode(take(n));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) corrupt('a GLOBAL name is not terminated');
    const s = new TextDecoder().decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) corrupt('the stack underflows');
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) corrupt('a MARK is missing');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const global = (module: string, name: string): Global => {
    const full = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(full)) refuse(`the pickle asks for the global "${full}"`);
    return { kind: 'global', name: full };
  };
  const setItems = (target: unknown, items: unknown[]) => {
    if (!(target instanceof Map)) corrupt('SETITEM on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2)
      (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const persistentLoad = (pid: unknown): StorageRef => {
    // ('storage', torch.FloatStorage, key, location, numel)
    if (!Array.isArray(pid) || pid[0] !== 'storage') corrupt('a persistent id is not a storage');
    const [, type, key] = pid as [string, Global, string];
    const dtype = STORAGE_DTYPES[type?.name?.replace('torch.', '') ?? ''];
    if (!dtype) corrupt(`unknown storage type ${JSON.stringify(type)}`);
    return { kind: 'storage', key: String(key), dtype: dtype as DType };
  };
  const reduce = (fn: unknown, args: unknown): unknown => {
    const name = (fn as Global | undefined)?.name;
    if (!Array.isArray(args)) corrupt('REDUCE arguments are not a tuple');
    const a = args as unknown[];
    switch (name) {
      case 'collections.OrderedDict':
        return new Map();
      case 'torch._utils._rebuild_tensor_v2': {
        const [storage, offset, size, stride] = a as [StorageRef, number, number[], number[]];
        if (storage?.kind !== 'storage') corrupt('_rebuild_tensor_v2 without a storage');
        return { kind: 'tensor', storage, offset, size: [...size], stride: [...stride] } satisfies TensorRef;
      }
      case 'torch._utils._rebuild_parameter':
        return a[0];
      default:
        return refuse(`the pickle calls ${JSON.stringify(name ?? fn)}`);
    }
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x2e: // STOP
        return toStateDict(pop(), corrupt);
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement of n bytes
        const n = u8();
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
        if (n > 0 && ((b[n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(u8()));
        break;
      case 0x54: // BINSTRING
        stack.push(utf8(i32()));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(utf8(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), stack[stack.length - 1]);
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), stack[stack.length - 1]);
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, stack[stack.length - 1]);
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) corrupt(`memo key ${k} is missing`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push(global(String(module), String(name)));
        break;
      }
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        (stack[stack.length - 1] as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        (stack[stack.length - 1] as unknown[]).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(stack[stack.length - 1], [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(stack[stack.length - 1], items);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop()));
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x62: // BUILD: state of an OrderedDict (its _metadata); a state_dict has nothing else to build
        pop();
        break;
      default:
        refuse(`the pickle uses opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}`);
    }
  }
}

function toStateDict(value: unknown, corrupt: (what: string) => never): Map<string, unknown> {
  if (!(value instanceof Map)) corrupt('the pickle does not hold a dict of tensors');
  const dict = value as Map<unknown, unknown>;
  // Some checkpoints wrap the weights: {"state_dict": {...}} or {"model": {...}}.
  for (const key of ['state_dict', 'model']) {
    const inner = dict.get(key);
    if (inner instanceof Map) return inner as Map<string, unknown>;
  }
  return dict as Map<string, unknown>;
}
