import type { TemplateInfo } from '../../../workers/api';

/** Templates whose id, style or name (either language) contains the query, case-insensitively. */
export function filterTemplates(templates: TemplateInfo[], query: string): TemplateInfo[] {
  const q = query.trim().toLowerCase();
  if (!q) return templates;
  return templates.filter((tpl) => [tpl.id, tpl.style, tpl.name.zh, tpl.name.en].some((s) => s.toLowerCase().includes(q)));
}
