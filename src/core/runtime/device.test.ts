import { describe, expect, it } from 'vitest';
import { describeDevice, deviceName, isSoftwareName } from './device';

describe('device facts', () => {
  it('names software rasterisers as such', () => {
    expect(isSoftwareName('google', 'swiftshader')).toBe(true);
    expect(
      isSoftwareName(
        'Google Inc. (Google)',
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      ),
    ).toBe(true);
    expect(isSoftwareName('Mesa', 'llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareName('Microsoft', 'Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareName('nvidia', 'ampere', 'NVIDIA GeForce RTX 3060')).toBe(false);
    expect(isSoftwareName('apple', 'metal-3')).toBe(false);
  });

  it('names the device in a few words for the run record', () => {
    const base = {
      api: 'webgpu' as const,
      vendor: 'google',
      architecture: 'swiftshader',
      description: '',
      limits: {},
    };
    expect(deviceName({ ...base, software: true })).toBe('google, swiftshader (software)');
    expect(deviceName({ ...base, description: 'NVIDIA GeForce RTX 3060', software: false })).toBe(
      'NVIDIA GeForce RTX 3060',
    );
  });

  it('says the name, the vendor, whether it is software, and the limits', () => {
    expect(
      describeDevice({
        api: 'webgpu',
        vendor: 'nvidia',
        architecture: 'ampere',
        description: 'NVIDIA GeForce RTX 3060',
        software: false,
        limits: { maxStorageBuffersPerShaderStage: 10, maxBufferSize: 4294967296 },
      }),
    ).toBe(
      'NVIDIA GeForce RTX 3060 (nvidia, ampere); maxStorageBuffersPerShaderStage 10, maxBufferSize 4096 MiB',
    );
    expect(
      describeDevice({
        api: 'webgpu',
        vendor: 'google',
        architecture: 'swiftshader',
        description: '',
        software: true,
        limits: {},
      }),
    ).toBe('google, swiftshader — a software GPU (a CPU emulating one)');
  });
});
