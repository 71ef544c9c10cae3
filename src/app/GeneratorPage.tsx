import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AttentionPanel } from '../features/attention/AttentionPanel';
import { ResultPanel } from '../features/generate/ResultPanel';
import { newSerial, useGenerate, type MemeJob, type TemplateChoice } from '../features/generate/use-generate';
import { ErrorMessage } from '../features/status/ErrorMessage';
import { TemplatePicker } from '../features/templates/TemplatePicker';
import { CaptionInput } from '../features/text/CaptionInput';
import { useTokens } from '../features/text/use-tokens';
import { TimelinePanel } from '../features/timeline/TimelinePanel';
import { useI18n } from '../i18n/i18n';
import { randomSeed, type UrlState } from './url-state';
import type { ModelState } from './use-model';

const DEFAULT_TEXT = '别说了我脸红了';
const DEFAULT_SEED = 7;

/** The generator: caption, template, generate; then the meme, its stages, variants and panels. */
export function GeneratorPage({ url, model }: { url: UrlState; model: ModelState }) {
  const { t } = useI18n();
  const info = model.init?.model;
  const [text, setText] = useState(url.text ?? DEFAULT_TEXT);
  const [template, setTemplate] = useState<TemplateChoice>();
  const [baseSeed, setBaseSeed] = useState(url.seed ?? DEFAULT_SEED);
  const [variant, setVariant] = useState(url.variant);
  const [formError, setFormError] = useState<{ name: string; message: string }>();
  const tokens = useTokens(model.client, !!info, text);
  const { state, generate } = useGenerate(model.client);

  useEffect(() => {
    if (!info || template) return;
    const fromUrl = info.templates.find((x) => x.id === url.template);
    setTemplate({ kind: 'builtin', id: (fromUrl ?? info.templates[0]).id });
  }, [info, template, url.template]);

  const run = (seed: number, keepVariant = false) => {
    if (!info || !template) return;
    if (!text.trim()) {
      setFormError({ name: 'EmptyTextError', message: t('text.empty') });
      return;
    }
    setFormError(undefined);
    if (!keepVariant) setVariant(0);
    setBaseSeed(seed);
    const caption = Array.from(text.trim()).slice(0, info.maxChars).join('');
    const job: MemeJob = { serial: newSerial(), text, caption, template, baseSeed: seed, withAttention: info.attentionSizes.length > 0 };
    void generate(job);
  };

  // A share link (?text=…) generates as soon as the model is ready, on its own seed and variant.
  const autoRan = useRef(false);
  useEffect(() => {
    if (autoRan.current || !info || !template || url.text === undefined) return;
    autoRan.current = true;
    run(baseSeed, true);
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    run(baseSeed);
  };
  const busy = state.kind === 'running';
  return (
    <div className="generator" id="generator">
      <form className="controls" onSubmit={onSubmit} aria-label={t('generate.button')}>
        <CaptionInput value={text} onChange={setText} tokens={tokens} maxChars={info?.maxChars ?? 0} maxTokens={info?.maxTokens ?? 0} />
        {info && <TemplatePicker templates={info.templates} value={template} onChange={setTemplate} />}
        <button type="submit" className="generate-button" disabled={!info || !template} data-action="generate" aria-busy={busy}>
          {busy ? t('generate.running') : t('generate.button')}
        </button>
        {formError && <ErrorMessage error={formError} />}
      </form>
      <div className="output">
        {state.kind === 'error' && <ErrorMessage error={state.error} />}
        <ResultPanel
          state={state}
          sizes={info?.imageSizes ?? []}
          variant={variant}
          onVariant={setVariant}
          onReroll={() => run(randomSeed())}
          url={url}
        />
        {info && state.kind === 'done' && (
          <AttentionPanel attention={state.result.attention} tokens={state.result.tokens} stages={state.stages} />
        )}
        {info && (
          <TimelinePanel
            client={model.client}
            checkpoints={info.checkpoints}
            text={text}
            template={template}
            seed={baseSeed + variant}
          />
        )}
      </div>
    </div>
  );
}
