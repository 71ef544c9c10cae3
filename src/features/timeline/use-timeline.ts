import { useCallback, useRef, useState } from 'react';
import type { CheckpointInfo, StageImage } from '../../../workers/api';
import type { MemeClient } from '../../worker-client/client';
import { isCancelled } from '../../worker-client/errors';
import type { TemplateChoice } from '../generate/use-generate';

export interface TimelineEntry {
  checkpoint: CheckpointInfo;
  image: StageImage;
  /** Since the run started. */
  elapsedMs: number;
  /** This checkpoint's own generation time, as the worker measured it. */
  ms: number;
  backend: string;
}

export type TimelineState =
  | { kind: 'idle' }
  | { kind: 'running' | 'done'; entries: TimelineEntry[]; total: number }
  | { kind: 'error'; entries: TimelineEntry[]; error: { name: string; message: string } };

/** Runs one text through every exported checkpoint in training order (the paper's demo). */
export function useTimeline(client: MemeClient | undefined, checkpoints: CheckpointInfo[]) {
  const [state, setState] = useState<TimelineState>({ kind: 'idle' });
  const ctrl = useRef<AbortController>(undefined);
  const run = useCallback(
    async (text: string, template: TemplateChoice, seed: number) => {
      if (!client) return;
      ctrl.current?.abort();
      const abort = (ctrl.current = new AbortController());
      const ordered = [...checkpoints].sort((a, b) => a.step - b.step || a.epoch - b.epoch);
      const entries: TimelineEntry[] = [];
      setState({ kind: 'running', entries: [], total: ordered.length });
      const t0 = performance.now();
      try {
        for (const checkpoint of ordered) {
          const r = await client.generate(
            {
              text,
              seeds: [seed],
              checkpoint: checkpoint.index,
              templateId: template.kind === 'builtin' ? template.id : undefined,
              customTemplate: template.kind === 'custom' ? { bytes: template.bytes, name: template.name } : undefined,
            },
            { signal: abort.signal },
          );
          entries.push({ checkpoint, image: r.images[0], elapsedMs: performance.now() - t0, ms: r.timings.totalMs, backend: r.backend });
          setState({ kind: 'running', entries: [...entries], total: ordered.length });
        }
        setState({ kind: 'done', entries, total: ordered.length });
      } catch (e) {
        if (!isCancelled(e)) setState({ kind: 'error', entries, error: { name: (e as Error).name, message: (e as Error).message } });
      }
    },
    [client, checkpoints],
  );
  return { state, run };
}
