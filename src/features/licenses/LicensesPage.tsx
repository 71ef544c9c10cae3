import type { ModelInfo } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import { useLicenseFiles } from './use-license-files';

const FONT_ATTRIBUTION =
  'ZCOOL KuaiLe — Copyright 2018 The ZCOOL KuaiLe Project Authors (https://github.com/googlefonts/zcool-kuaile). ' +
  'Licensed under the SIL Open Font License, Version 1.1. MemeFace ships a subset (about 3,500 common characters) made with subset-font.';

/** The emoji art and font attributions the licences require, from the model and public/licenses/. */
export function LicensesPage({ model }: { model: ModelInfo | undefined }) {
  const { t } = useI18n();
  const { entries, others } = useLicenseFiles();
  return (
    <section className="licenses" aria-labelledby="licenses-title">
      <h2 id="licenses-title">{t('licenses.title')}</h2>
      <h3>{t('licenses.font')}</h3>
      <p data-license="font">
        {FONT_ATTRIBUTION} <a href="fonts/OFL.txt">OFL-1.1</a>
      </p>
      <h3>{t('licenses.emoji')}</h3>
      <ul>
        {(model?.licenses ?? []).map((l) => (
          <li key={l.subject} data-license="emoji">
            <strong>{l.subject}</strong> ({l.license}): {l.attribution}
          </li>
        ))}
      </ul>
      {entries.length > 0 && (
        <ul>
          {entries.map((e, i) => (
            <li key={i} data-license="emoji">
              <strong>{e.subject}</strong> {e.license && `(${e.license})`}: {e.attribution}{' '}
              {e.textHref && <a href={e.textHref}>{e.license || 'licence'}</a>} {e.homepage && <a href={e.homepage}>{e.homepage}</a>}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && <h3>{t('licenses.more')}</h3>}
      <ul>
        {others.map((f) => (
          <li key={f}>
            <a href={`licenses/${f}`}>{f}</a>
          </li>
        ))}
      </ul>
      <p>{t('licenses.app', { version: __APP_VERSION__ })}</p>
    </section>
  );
}
