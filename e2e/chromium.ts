/**
 * Debian's Chromium (apt-get install chromium), never a downloaded browser, with WebGPU rendered for real on
 * SwiftShader (Vulkan on the CPU), so tests and the benchmark run the backend users get on a GPU. The
 * networking flags keep a root, sandbox-less Chromium from reaching out at start-up.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The same Chromium without WebGPU (as Firefox, Safari and many Linux installs are): WebGL on SwiftShader GL. */
export const CHROMIUM_ARGS_NO_WEBGPU = CHROMIUM_ARGS.filter(
  (a) => !/webgpu|vulkan/i.test(a) && a !== '--enable-features=Vulkan',
);
