import { useI18n } from '../../i18n/i18n';
import { describeError } from '../../worker-client/errors';

/** A worker error as a sentence in the UI language, with the technical detail underneath. */
export function ErrorMessage({ error }: { error: { name: string; message: string } }) {
  const { t } = useI18n();
  const m = describeError(error, t);
  return (
    <div className="error" role="alert" data-error={m.name}>
      <p>{m.message}</p>
      {m.detail && m.detail !== m.message && <p className="detail">{m.detail}</p>}
    </div>
  );
}
