import type { ModelState, Notice } from '../../app/use-model';
import { useI18n, type Translate } from '../../i18n/i18n';
import { OfflineBadge } from '../offline/OfflineBadge';
import { ErrorMessage } from './ErrorMessage';

/** Loading progress, the backend in use, every fallback or GPU loss, and the offline state. */
export function StatusBar({ model }: { model: ModelState }) {
  const { t } = useI18n();
  const status = model.error ? 'error' : model.init ? 'ready' : 'loading';
  return (
    <div className="status-bar">
      <p className="status" role="status" data-status={status} data-backend={model.backend ?? ''}>
        {status === 'loading' &&
          t('status.loading', { phase: t(`phase.${model.loading.phase}`), kb: Math.round(model.loading.loadedBytes / 1024) })}
        {status === 'ready' && t('status.ready', { backend: model.backend ?? '' })}
      </p>
      {status === 'loading' && (
        <progress
          className="load-progress"
          aria-label={t(`phase.${model.loading.phase}`)}
          max={model.loading.totalBytes || 1}
          value={model.loading.totalBytes ? model.loading.loadedBytes : undefined}
        />
      )}
      <OfflineBadge />
      {model.error && <ErrorMessage error={model.error} />}
      {model.notices.length > 0 && (
        <ul className="notices" aria-live="polite">
          {model.notices.map((n, i) => (
            <li key={i} className={`notice notice-${n.kind}`} data-notice={n.kind}>
              {noticeText(n, t)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function noticeText(n: Notice, t: Translate): string {
  switch (n.kind) {
    case 'fallback':
      return t('status.fallback', { backend: n.backend, reason: n.reason });
    case 'device-lost':
      return t('status.deviceLost', { backend: n.backend, reason: n.reason });
    case 'recovered':
      return t('status.recovered', { backend: n.backend });
    case 'log':
      return n.message;
  }
}
