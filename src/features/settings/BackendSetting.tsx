import { BACKEND_ORDER, type BackendName } from '../../../workers/api';
import { urlWithBackend } from '../../app/url-state';
import { useI18n } from '../../i18n/i18n';

/**
 * Forces a compute backend, like ?backend=. Switching reloads the page into the new URL: tfjs
 * cannot move live tensors between backends, and a fresh worker is the clean way to switch.
 */
export function BackendSetting({ forced }: { forced: BackendName | undefined }) {
  const { t } = useI18n();
  return (
    <label className="backend-setting">
      <span>{t('settings.backend')}</span>
      <select
        name="backend"
        value={forced ?? ''}
        onChange={(e) => window.location.assign(urlWithBackend((e.target.value || undefined) as BackendName | undefined))}
      >
        <option value="">{t('settings.auto')}</option>
        {BACKEND_ORDER.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
    </label>
  );
}
