import { useMemo, useState } from 'react';
import type { TemplateInfo } from '../../../workers/api';
import { useI18n } from '../../i18n/i18n';
import type { TemplateChoice } from '../generate/use-generate';
import { filterTemplates } from './filter-templates';
import { UploadTemplate } from './UploadTemplate';

/**
 * Template thumbnails as a native radio group (arrow keys move, Space selects), a search box
 * that filters by name, style or id in both languages, and "use my own picture".
 */
export function TemplatePicker({ templates, value, onChange }: { templates: TemplateInfo[]; value: TemplateChoice | undefined; onChange: (c: TemplateChoice) => void }) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterTemplates(templates, query), [templates, query]);
  const custom = value?.kind === 'custom' ? value : undefined;
  return (
    <fieldset className="template-picker">
      <legend>{t('templates.legend')}</legend>
      <input
        type="search"
        className="template-search"
        aria-label={t('templates.search')}
        placeholder={t('templates.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="template-grid">
        {shown.map((tpl) => (
          <label key={tpl.id} className={value?.kind === 'builtin' && value.id === tpl.id ? 'template selected' : 'template'} data-template={tpl.id}>
            <input type="radio" name="template" value={tpl.id} checked={value?.kind === 'builtin' && value.id === tpl.id} onChange={() => onChange({ kind: 'builtin', id: tpl.id })} />
            <img src={tpl.thumbnailUrl} alt="" width={56} height={56} />
            <span>{tpl.name[lang]}</span>
          </label>
        ))}
        {custom && (
          <label className="template selected" data-template="custom">
            <input type="radio" name="template" value="custom" checked onChange={() => onChange(custom)} />
            <img src={custom.previewUrl} alt="" width={56} height={56} />
            <span>{t('templates.custom')}</span>
          </label>
        )}
      </div>
      {!shown.length && <p className="hint">{t('templates.none', { q: query })}</p>}
      <UploadTemplate onTemplate={onChange} />
    </fieldset>
  );
}
