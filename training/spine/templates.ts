import { createRequire } from 'node:module';
import { svgToPng } from '../io/png';
import type { TemplateSource } from '../export/templates';

const require = createRequire(import.meta.url);

interface IconifySet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
}

/** An icon of an @iconify-json set as a standalone SVG string. */
export function iconifySvg(pkg: string, icon: string): string {
  const set = require(`${pkg}/icons.json`) as IconifySet;
  const entry = set.icons[icon];
  if (!entry) throw new Error(`${pkg} has no icon "${icon}".`);
  const w = entry.width ?? set.width ?? 16;
  const h = entry.height ?? set.height ?? 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="256" height="256">${entry.body}</svg>`;
}

/** The spine's three templates: the neutral face of three shippable styles. */
export async function spineTemplates(): Promise<TemplateSource[]> {
  const styles = [
    { id: 'noto', pkg: '@iconify-json/noto', zh: 'Noto 表情', en: 'Noto' },
    { id: 'twemoji', pkg: '@iconify-json/twemoji', zh: 'Twemoji 表情', en: 'Twemoji' },
    { id: 'fluent-flat', pkg: '@iconify-json/fluent-emoji-flat', zh: 'Fluent 扁平', en: 'Fluent Flat' },
  ];
  return Promise.all(
    styles.map(async (s) => ({
      id: s.id,
      style: s.id,
      name: { zh: s.zh, en: s.en },
      png256: await svgToPng(iconifySvg(s.pkg, 'neutral-face'), 256),
    })),
  );
}

export const SPINE_LICENSES = [
  { subject: 'Noto Emoji (Google)', license: 'Apache-2.0', attribution: 'Noto Emoji, © Google LLC, Apache License 2.0.' },
  { subject: 'Twemoji (Twitter)', license: 'CC-BY-4.0', attribution: 'Twemoji graphics © Twitter, Inc. and other contributors, CC BY 4.0.' },
  { subject: 'Fluent Emoji (Microsoft)', license: 'MIT', attribution: 'Fluent Emoji, © Microsoft Corporation, MIT License.' },
];
