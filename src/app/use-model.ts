import { useEffect, useRef, useState } from 'react';
import type { InitResult, WorkerEvent } from '../../workers/api';
import { MemeClient } from '../worker-client/client';
import { describeError } from '../worker-client/errors';
import { manifestUrl, type UrlState } from './url-state';

export type ModelStatus =
  | { kind: 'loading'; phase: string; loadedBytes: number }
  | { kind: 'ready'; init: InitResult }
  | { kind: 'error'; message: string };

/** Starts the worker once and loads the model; StrictMode's double effect reuses the same client. */
export function useModel(url: UrlState): { client: MemeClient | undefined; status: ModelStatus; events: WorkerEvent[] } {
  const clientRef = useRef<MemeClient>(undefined);
  const [status, setStatus] = useState<ModelStatus>({ kind: 'loading', phase: 'manifest', loadedBytes: 0 });
  const [events, setEvents] = useState<WorkerEvent[]>([]);
  useEffect(() => {
    if (clientRef.current) return;
    const client = new MemeClient();
    clientRef.current = client;
    const onEvent = (e: WorkerEvent) => {
      setEvents((xs) => [...xs, e]);
      if (e.type === 'progress') setStatus({ kind: 'loading', phase: e.phase, loadedBytes: e.loadedBytes });
    };
    client
      .init({ manifestUrl: manifestUrl(url.model), backend: url.backend }, onEvent)
      .then((init) => setStatus({ kind: 'ready', init }))
      .catch((e) => setStatus({ kind: 'error', message: describeError(e) }));
  }, [url.model, url.backend]);
  return { client: clientRef.current, status, events };
}
