import type { CheckpointInfo } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import type { MemeClient } from '../../worker-client/client';
import { ErrorMessage } from '../status/ErrorMessage';
import { ImageCanvas } from '../generate/ImageCanvas';
import type { TemplateChoice } from '../generate/use-generate';
import { useTimeline } from './use-timeline';

/** The training timeline beside a system log: elapsed ms, checkpoint epoch, backend. */
export function TimelinePanel({ client, checkpoints, text, template, seed }: {
  client: MemeClient | undefined;
  checkpoints: CheckpointInfo[];
  text: string;
  template: TemplateChoice | undefined;
  seed: number;
}) {
  const { t } = useI18n();
  const { state, run } = useTimeline(client, checkpoints);
  const entries = state.kind === 'idle' ? [] : state.entries;
  const canRun = !!template && !!text.trim() && state.kind !== 'running';
  return (
    <section className="panel timeline" aria-labelledby="timeline-title" data-state={state.kind}>
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      <p className="hint">{t('timeline.hint')}</p>
      <button type="button" disabled={!canRun} onClick={() => template && void run(text, template, seed)} data-action="timeline">
        ▶ {t('timeline.run')} ({checkpoints.length})
      </button>
      <div className="timeline-body">
        <ol className="timeline-images">
          {entries.map((e) => (
            <li key={e.checkpoint.index} data-epoch={e.checkpoint.epoch}>
              <ImageCanvas image={e.image} display={96} label={t('timeline.epoch', { epoch: e.checkpoint.epoch })} />
              <span>{t('timeline.epoch', { epoch: e.checkpoint.epoch })}</span>
            </li>
          ))}
        </ol>
        <div className="system-log">
          <h3>{t('timeline.log')}</h3>
          <pre aria-live="polite">
            {entries
              .map((e) =>
                t('timeline.row', { elapsed: Math.round(e.elapsedMs), epoch: e.checkpoint.epoch, step: e.checkpoint.step, backend: e.backend, ms: Math.round(e.ms) }) +
                (e.checkpoint.settings.length ? ` · ${e.checkpoint.settings.join(', ')}` : ''),
              )
              .join('\n')}
          </pre>
        </div>
      </div>
      {state.kind === 'error' && <ErrorMessage error={state.error} />}
    </section>
  );
}
