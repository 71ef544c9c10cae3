import { useEffect, useRef, useState } from 'react';
import type { BackendName, InitResult, LoadPhase, WorkerEvent } from '../../workers/api';
import { MemeClient } from '../worker-client/client';
import { manifestUrl, type UrlState } from './url-state';

/** Something the user must be told about the backend: never silent. */
export type Notice =
  | { kind: 'fallback'; backend: BackendName; reason: string }
  | { kind: 'device-lost'; backend: BackendName; reason: string }
  | { kind: 'recovered'; backend: BackendName }
  | { kind: 'log'; message: string };

export interface ModelState {
  client: MemeClient | undefined;
  /** Set once the model is loaded and warmed up. */
  init?: InitResult;
  /** The backend running now (changes after a GPU device loss). */
  backend?: BackendName;
  loading: { phase: LoadPhase; loadedBytes: number; totalBytes: number };
  error?: { name: string; message: string };
  notices: Notice[];
}

/** Starts the worker once and loads the model; StrictMode's double effect reuses the same client. */
export function useModel(url: UrlState): ModelState {
  const clientRef = useRef<MemeClient>(undefined);
  const [state, setState] = useState<Omit<ModelState, 'client'>>({ loading: { phase: 'manifest', loadedBytes: 0, totalBytes: 0 }, notices: [] });
  useEffect(() => {
    if (clientRef.current) return;
    const client = new MemeClient();
    clientRef.current = client;
    let ready = false;
    const onEvent = (e: WorkerEvent) => setState((s) => reduceEvent(s, e, ready));
    client
      .init({ manifestUrl: manifestUrl(url.model), backend: url.backend }, onEvent)
      .then((init) => {
        ready = true;
        setState((s) => ({ ...s, init, backend: init.backend }));
      })
      .catch((e: Error) => setState((s) => ({ ...s, error: { name: e.name, message: e.message } })));
  }, [url.model, url.backend]);
  return { client: clientRef.current, ...state };
}

function reduceEvent(s: Omit<ModelState, 'client'>, e: WorkerEvent, ready: boolean): Omit<ModelState, 'client'> {
  switch (e.type) {
    case 'progress':
      return { ...s, loading: { phase: e.phase, loadedBytes: e.done ? e.totalBytes : e.loadedBytes, totalBytes: e.totalBytes } };
    case 'backend': {
      const fallbacks: Notice[] = ready ? [] : e.fallbacks.map((f) => ({ kind: 'fallback' as const, ...f }));
      const recovered: Notice[] = ready ? [{ kind: 'recovered', backend: e.backend }] : [];
      return { ...s, backend: e.backend, notices: [...s.notices, ...fallbacks, ...recovered] };
    }
    case 'device-lost':
      return { ...s, notices: [...s.notices, { kind: 'device-lost', backend: e.backend, reason: e.reason }] };
    case 'log':
      return { ...s, notices: [...s.notices, { kind: 'log', message: e.message }] };
  }
}
