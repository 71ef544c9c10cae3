import { useRef } from 'react';
import { shareUrl, type UrlState } from '../../app/url-state';
import { useI18n } from '../../i18n/i18n';
import { ShareActions } from '../share/ShareActions';
import { MemeView } from './MemeView';
import { StageStrip } from './StageStrip';
import { latestImage, VARIANTS, type GenerateState } from './use-generate';
import { Variants } from './Variants';

/** The meme (256×256 with caption), its stages, the variants row and the share actions. */
export function ResultPanel({ state, sizes, variant, onVariant, onReroll, url }: {
  state: GenerateState;
  sizes: number[];
  variant: number;
  onVariant: (v: number) => void;
  onReroll: () => void;
  url: UrlState;
}) {
  const { t } = useI18n();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  if (state.kind === 'idle' || state.kind === 'error') return null;
  const stages = state.stages;
  const image = latestImage(stages, variant);
  const { job } = state;
  const link =
    state.kind === 'done' && job.template.kind === 'builtin'
      ? shareUrl({ text: job.text, template: job.template.id, seed: job.baseSeed, variant }, url)
      : undefined;
  return (
    <section className="result" aria-labelledby="result-title" data-state={state.kind} data-job={job.serial}>
      <h2 id="result-title" className="visually-hidden">
        {t('generate.meme', { text: job.caption })}
      </h2>
      <MemeView image={image} caption={job.caption} canvasRef={canvasRef} job={job.serial} />
      {state.kind === 'done' && (
        <p className="timing" data-backend={state.result.backend}>
          {t('generate.timing', { ms: Math.round(state.result.timings.totalMs), backend: state.result.backend })}
        </p>
      )}
      <StageStrip stages={stages} sizes={sizes} variant={variant} />
      <Variants stages={stages} count={VARIANTS} value={variant} onChange={onVariant} onReroll={onReroll} disabled={state.kind === 'running'} />
      {state.kind === 'done' && <ShareActions canvasRef={canvasRef} text={job.caption} seed={job.baseSeed + variant} link={link} />}
    </section>
  );
}
