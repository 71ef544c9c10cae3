import { useEffect } from 'react';
import type { GenerateRequest, GenerateResult, InitResult } from '../../workers/api';
import type { MemeClient } from '../worker-client/client';

declare global {
  interface Window {
    /** Present with ?test=1 only: lets end-to-end tests drive the real worker path. */
    memefaceTest?: {
      ready: Promise<InitResult>;
      generate: (r: Omit<GenerateRequest, 'id'>) => Promise<GenerateResult>;
      numTensors: () => Promise<number>;
      /** Destroys the WebGPU device, as a driver reset would. */
      loseDevice: () => Promise<boolean>;
    };
  }
}

export function useTestHook(enabled: boolean, client: MemeClient | undefined, ready: InitResult | undefined): void {
  useEffect(() => {
    if (!enabled || !client || !ready) return;
    window.memefaceTest = {
      ready: Promise.resolve(ready),
      generate: (r) => client.generate(r),
      numTensors: () => client.numTensors(),
      loseDevice: () => client.loseDeviceForTest(),
    };
  }, [enabled, client, ready]);
}
