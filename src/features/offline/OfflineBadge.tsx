import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { offlineState, onOfflineState } from './offline';

/** "Available offline" once the service worker has stored the app, models, wasm and font. */
export function OfflineBadge() {
  const { t } = useI18n();
  const [state, setState] = useState(offlineState);
  useEffect(() => {
    setState(offlineState());
    return onOfflineState(setState);
  }, []);
  const text = state === 'ready' ? t('offline.ready') : state === 'pending' ? t('offline.pending') : t('offline.unsupported');
  return (
    <p className={`offline-badge offline-${state}`} data-offline={state}>
      <span aria-hidden="true">{state === 'ready' ? '✈︎ ' : ''}</span>
      {text}
    </p>
  );
}
