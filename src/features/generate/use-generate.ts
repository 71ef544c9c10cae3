import { useCallback, useRef, useState } from 'react';
import type { GenerateRequest, GenerateResult, StageImage } from '../../../workers/api';
import type { MemeClient } from '../../worker-client/client';
import { describeError, isCancelled } from '../../worker-client/errors';

export type GenerateState =
  | { kind: 'idle' }
  | { kind: 'running'; stages: StageImage[] }
  | { kind: 'done'; result: GenerateResult }
  | { kind: 'error'; message: string };

/** Runs one generation at a time; a new request aborts the one in flight (latest wins). */
export function useGenerate(client: MemeClient | undefined) {
  const [state, setState] = useState<GenerateState>({ kind: 'idle' });
  const inFlight = useRef<AbortController>(undefined);
  const generate = useCallback(
    async (req: Omit<GenerateRequest, 'id'>) => {
      if (!client) return undefined;
      inFlight.current?.abort();
      const ctrl = new AbortController();
      inFlight.current = ctrl;
      setState({ kind: 'running', stages: [] });
      try {
        const result = await client.generate(req, {
          signal: ctrl.signal,
          onStage: (images) => setState((s) => (s.kind === 'running' ? { kind: 'running', stages: [...s.stages, ...images] } : s)),
        });
        if (!ctrl.signal.aborted) setState({ kind: 'done', result });
        return result;
      } catch (e) {
        if (!isCancelled(e)) setState({ kind: 'error', message: describeError(e) });
        return undefined;
      }
    },
    [client],
  );
  return { state, generate };
}
