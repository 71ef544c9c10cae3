import { useEffect, useMemo, useState } from 'react';
import type { GenerateRequest, GenerateResult, InitResult } from '../../workers/api';
import { MemeCanvas } from '../features/generate/MemeCanvas';
import { useGenerate } from '../features/generate/use-generate';
import { TemplatePicker } from '../features/templates/TemplatePicker';
import type { MemeClient } from '../worker-client/client';
import { readUrlState } from './url-state';
import { useModel } from './use-model';

declare global {
  interface Window {
    /** Present with ?test=1 only: lets end-to-end tests drive the real worker path. */
    memefaceTest?: { ready: Promise<InitResult>; generate: (r: Omit<GenerateRequest, 'id'>) => Promise<GenerateResult>; numTensors: () => Promise<number> };
  }
}

export function App() {
  const url = useMemo(() => readUrlState(), []);
  const lang: 'zh' | 'en' = navigator.language.startsWith('zh') ? 'zh' : 'en';
  const { client, status } = useModel(url);
  const { state, generate } = useGenerate(client);
  const [text, setText] = useState(url.text ?? '别说了我脸红了');
  const [templateId, setTemplateId] = useState(url.template ?? '');
  const seed = url.seed ?? 7;
  const ready = status.kind === 'ready' ? status.init : undefined;

  useTestHook(url.test, client, ready);
  useEffect(() => {
    if (ready && !templateId) setTemplateId(ready.model.templates[0].id);
  }, [ready, templateId]);

  const finalImage = state.kind === 'done' ? state.result.images[0] : state.kind === 'running' ? state.stages[state.stages.length - 1] : undefined;
  return (
    <main className="app">
      <h1>MemeFace</h1>
      <p className="status" role="status" data-status={status.kind}>
        {status.kind === 'loading' && `Loading ${status.phase}…`}
        {status.kind === 'error' && status.message}
        {ready && `Ready on ${ready.backend}${ready.fallbacks.length ? ` (fell back from ${ready.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})` : ''}`}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void generate({ text, templateId, seeds: [seed] });
        }}
      >
        <label>
          {lang === 'zh' ? '文字' : 'Text'}
          <input name="text" value={text} onChange={(e) => setText(e.target.value)} maxLength={500} />
        </label>
        {ready && <TemplatePicker templates={ready.model.templates} value={templateId} onChange={setTemplateId} lang={lang} />}
        <button type="submit" disabled={!ready}>
          {lang === 'zh' ? '生成' : 'Generate'}
        </button>
      </form>
      {state.kind === 'error' && <p role="alert">{state.message}</p>}
      <MemeCanvas image={finalImage} label={text} />
    </main>
  );
}

function useTestHook(enabled: boolean, client: MemeClient | undefined, ready: InitResult | undefined) {
  useEffect(() => {
    if (!enabled || !client || !ready) return;
    window.memefaceTest = {
      ready: Promise.resolve(ready),
      generate: (r) => client.generate(r),
      numTensors: () => client.numTensors(),
    };
  }, [enabled, client, ready]);
}
