import { useCallback, useRef, useState } from 'react';
import type { GenerateResult, StageImage } from '../../../workers/api';
import type { MemeClient } from '../../worker-client/client';
import { isCancelled } from '../../worker-client/errors';

/** How many seeds one generation runs (the variants row). */
export const VARIANTS = 4;

export type TemplateChoice =
  | { kind: 'builtin'; id: string }
  | { kind: 'custom'; name: string; bytes: ArrayBuffer; previewUrl: string };

export interface MemeJob {
  /** Increases with every request, so the UI (and tests) can tell one result from the next. */
  serial: number;
  text: string;
  /** The text as drawn on the meme: trimmed and cut to the model's character limit. */
  caption: string;
  template: TemplateChoice;
  baseSeed: number;
  withAttention: boolean;
}

export type GenerateState =
  | { kind: 'idle' }
  | { kind: 'running'; job: MemeJob; stages: StageImage[] }
  | { kind: 'done'; job: MemeJob; stages: StageImage[]; result: GenerateResult }
  | { kind: 'error'; job: MemeJob; error: { name: string; message: string } };

let nextSerial = 1;
export const newSerial = (): number => nextSerial++;

export const seedsOf = (job: MemeJob): number[] => Array.from({ length: VARIANTS }, (_, i) => job.baseSeed + i);

/** Runs one generation at a time; a new request aborts the one in flight (latest wins). */
export function useGenerate(client: MemeClient | undefined) {
  const [state, setState] = useState<GenerateState>({ kind: 'idle' });
  const inFlight = useRef<AbortController>(undefined);
  const generate = useCallback(
    async (job: MemeJob) => {
      if (!client) return undefined;
      inFlight.current?.abort();
      const ctrl = new AbortController();
      inFlight.current = ctrl;
      setState({ kind: 'running', job, stages: [] });
      try {
        const result = await client.generate(
          {
            text: job.text,
            templateId: job.template.kind === 'builtin' ? job.template.id : undefined,
            customTemplate: job.template.kind === 'custom' ? { bytes: job.template.bytes, name: job.template.name } : undefined,
            seeds: seedsOf(job),
            includeAttention: job.withAttention,
          },
          {
            signal: ctrl.signal,
            onStage: (images) => {
              if (!ctrl.signal.aborted) setState((s) => (s.kind === 'running' && s.job === job ? { ...s, stages: [...s.stages, ...images] } : s));
            },
          },
        );
        if (!ctrl.signal.aborted) setState((s) => ({ kind: 'done', job, result, stages: s.kind === 'running' && s.job === job ? s.stages : result.images }));
        return result;
      } catch (e) {
        if (!isCancelled(e) && !ctrl.signal.aborted) setState({ kind: 'error', job, error: { name: (e as Error).name, message: (e as Error).message } });
        return undefined;
      }
    },
    [client],
  );
  return { state, generate };
}

/** The largest finished stage image of one variant, or undefined before the first stage. */
export function latestImage(stages: StageImage[], variant: number): StageImage | undefined {
  const mine = stages.filter((s) => s.seedIndex === variant);
  return mine.reduce<StageImage | undefined>((best, s) => (!best || s.size > best.size ? s : best), undefined);
}
