import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unpickleStateDict } from './pickle';
import { readTorchBin } from './torchBin';

const enc = (s: string) => Array.from(new TextEncoder().encode(s));
const PROTO2 = [0x80, 0x02];

describe('restricted unpickler', () => {
  it('refuses a global other than a state_dict needs, without calling it', () => {
    // cos\nsystem\n (S'echo pwned' tR.  — the classic code-execution pickle
    const evil = new Uint8Array([
      ...PROTO2,
      0x63,
      ...enc('os\nsystem\n'),
      0x28,
      0x8c,
      10,
      ...enc('echo pwned'),
      0x74,
      0x52,
      0x2e,
    ]);
    expect(() => unpickleStateDict(evil, 'pytorch_model.bin')).toThrow(
      /pytorch_model.bin: the pickle asks for the global "os.system".*refuses to load/,
    );
  });

  it('refuses builtins.eval through STACK_GLOBAL too', () => {
    const evil = new Uint8Array([
      ...PROTO2,
      0x8c,
      8,
      ...enc('builtins'),
      0x8c,
      4,
      ...enc('eval'),
      0x93,
      0x2e,
    ]);
    expect(() => unpickleStateDict(evil, 'x.bin')).toThrow(/"builtins.eval"/);
  });

  it('refuses opcodes a state_dict does not use', () => {
    const inst = new Uint8Array([...PROTO2, 0x69, ...enc('os\nsystem\n'), 0x2e]); // INST
    expect(() => unpickleStateDict(inst, 'x.bin')).toThrow(/opcode 0x69/);
  });

  it('reports a pickle cut short', () => {
    expect(() => unpickleStateDict(new Uint8Array([...PROTO2, 0x7d, 0x58, 0xff, 0, 0, 0]), 'x.bin')).toThrow(
      /x.bin is corrupt: the pickle ends early/,
    );
  });

  it('reads a dict of plain values', () => {
    // {'a': 1, 'b': 'x'}
    const p = new Uint8Array([
      ...PROTO2,
      0x7d,
      0x28,
      0x8c,
      1,
      ...enc('a'),
      0x4b,
      1,
      0x8c,
      1,
      ...enc('b'),
      0x8c,
      1,
      ...enc('x'),
      0x75,
      0x2e,
    ]);
    expect([...unpickleStateDict(p, 'x.bin')]).toEqual([
      ['a', 1],
      ['b', 'x'],
    ]);
  });
});

describe('readTorchBin', () => {
  it('says so for a legacy or non-zip file', () => {
    expect(() => readTorchBin(new Uint8Array([0x80, 0x02, 0x8a]), 'pytorch_model.bin')).toThrow(
      /not a zip-format PyTorch file/,
    );
  });
  it('says so for a zip without data.pkl', () => {
    const zip = zipSync({ 'archive/other.txt': new Uint8Array([1]) });
    expect(() => readTorchBin(zip, 'pytorch_model.bin')).toThrow(/has no data.pkl/);
  });
  it('refuses a zip whose pickle asks for another global', () => {
    const evil = new Uint8Array([...PROTO2, 0x63, ...enc('subprocess\nPopen\n'), 0x2e]);
    const zip = zipSync({ 'archive/data.pkl': evil }, { level: 0 });
    expect(() => readTorchBin(zip, 'pytorch_model.bin')).toThrow(/"subprocess.Popen"/);
  });
  it('says so for a damaged zip', () => {
    const zip = zipSync({ 'archive/data.pkl': new Uint8Array(100) }, { level: 0 });
    expect(() => readTorchBin(zip.subarray(0, 60), 'pytorch_model.bin')).toThrow(/damaged zip|no data.pkl/);
  });
});
