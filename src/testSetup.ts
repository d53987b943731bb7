import * as tf from '@tensorflow/tfjs';
import { registerKernels } from './core/runtime/registerKernels';

// Tests set their backend with tf.setBackend; TabTune's kernels are registered as chooseBackend would. Registering
// loads TF.js's WASM backend, which would otherwise become the default before it is ready: a test that sets none
// runs on the CPU, as it did before.
registerKernels();
await tf.setBackend('cpu');
