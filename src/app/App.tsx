import { useEffect, useMemo, useState } from 'react';
import { LicensesPage } from '../features/licenses/LicensesPage';
import { BackendSetting } from '../features/settings/BackendSetting';
import { LanguageSwitch } from '../features/settings/LanguageSwitch';
import { StatusBar } from '../features/status/StatusBar';
import { I18nProvider, useI18n } from '../i18n/i18n';
import { GeneratorPage } from './GeneratorPage';
import { useTestHook } from './test-hook';
import { readUrlState } from './url-state';
import { useModel } from './use-model';

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}

/** Header, status and the two pages (generator, #licenses); the worker lives as long as the shell. */
function Shell() {
  const { t } = useI18n();
  const url = useMemo(() => readUrlState(), []);
  const model = useModel(url);
  const route = useHashRoute();
  useTestHook(url.test, model.client, model.init);
  return (
    <div className="app">
      <a className="skip-link" href="#generator">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div>
          <h1>
            <a href="#">MemeFace</a>
          </h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <nav className="header-controls">
          <LanguageSwitch />
          <BackendSetting forced={url.backend} />
          {route === 'licenses' ? <a href="#">{t('nav.back')}</a> : <a href="#licenses">{t('nav.licenses')}</a>}
        </nav>
      </header>
      <StatusBar model={model} />
      <main>{route === 'licenses' ? <LicensesPage model={model.init?.model} /> : <GeneratorPage url={url} model={model} />}</main>
      <footer className="app-footer">
        MemeFace v{__APP_VERSION__} · <a href="#licenses">{t('nav.licenses')}</a>
      </footer>
    </div>
  );
}

function useHashRoute(): 'generator' | 'licenses' {
  const read = (): 'generator' | 'licenses' => (window.location.hash === '#licenses' ? 'licenses' : 'generator');
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
