import { useI18n } from '../../i18n/i18n';

/** zh / en; the choice is remembered, the default follows the browser. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {(['zh', 'en'] as const).map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
          {l === 'zh' ? '中文' : 'English'}
        </button>
      ))}
    </div>
  );
}
