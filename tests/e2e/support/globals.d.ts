import type { GenerateRequest, GenerateResult, InitResult } from '../../../workers/api';

// The page's ?test=1 hook (src/app), seen from page.evaluate callbacks.
declare global {
  interface Window {
    memefaceTest?: {
      ready: Promise<InitResult>;
      generate: (r: Omit<GenerateRequest, 'id'>) => Promise<GenerateResult>;
      numTensors: () => Promise<number>;
      /** Destroys the WebGPU device, as a driver reset would (src/app/test-hook.ts). */
      loseDevice: () => Promise<boolean>;
    };
  }
}
export {};
