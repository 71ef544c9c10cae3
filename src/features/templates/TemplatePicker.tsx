import type { TemplateInfo } from '../../../workers/api';

/** A radio group of template thumbnails; arrow keys move between them (native radio behaviour). */
export function TemplatePicker({ templates, value, onChange, lang }: { templates: TemplateInfo[]; value: string; onChange: (id: string) => void; lang: 'zh' | 'en' }) {
  return (
    <fieldset className="template-picker">
      <legend>{lang === 'zh' ? '模板' : 'Template'}</legend>
      {templates.map((t) => (
        <label key={t.id} className={t.id === value ? 'template selected' : 'template'}>
          <input type="radio" name="template" value={t.id} checked={t.id === value} onChange={() => onChange(t.id)} />
          <img src={t.thumbnailUrl} alt="" width={64} height={64} />
          <span>{t.name[lang]}</span>
        </label>
      ))}
    </fieldset>
  );
}
