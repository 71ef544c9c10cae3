// The shippable style families. Each family is one template (plus a cat template where the style
// draws enough cat faces). Apple, Facebook, JoyPixels/EmojiOne 4 and WeChat sets are deliberately
// absent: their licences do not allow shipping them in a public site.

export type StyleSource =
  | { kind: 'iconify'; set: string }
  | { kind: 'fluent3d' };

export interface StyleSpec {
  id: string;
  name: string;
  npmPackage: string;
  source: StyleSource;
  licence: 'Apache-2.0' | 'MIT' | 'CC-BY-4.0' | 'CC-BY-SA-4.0';
  copyright: string;
  homepage: string;
  /** Text the licence requires next to the images (CC-BY / CC-BY-SA) or asks for (Apache/MIT notices). */
  attribution: string;
}

export const STYLES: readonly StyleSpec[] = [
  {
    id: 'noto', name: 'Noto Emoji', npmPackage: '@iconify-json/noto', source: { kind: 'iconify', set: 'noto' },
    licence: 'Apache-2.0', copyright: 'Google Inc.', homepage: 'https://github.com/googlefonts/noto-emoji',
    attribution: 'Noto Emoji by Google Inc., Apache License 2.0.',
  },
  {
    id: 'noto-blob', name: 'Noto Emoji v1 (Blob)', npmPackage: '@iconify-json/noto-v1', source: { kind: 'iconify', set: 'noto-v1' },
    licence: 'Apache-2.0', copyright: 'Google Inc.', homepage: 'https://github.com/googlefonts/noto-emoji',
    attribution: 'Noto Emoji v1 (Blob) by Google Inc., Apache License 2.0.',
  },
  {
    id: 'twemoji', name: 'Twemoji', npmPackage: '@iconify-json/twemoji', source: { kind: 'iconify', set: 'twemoji' },
    licence: 'CC-BY-4.0', copyright: 'Twitter, Inc and other contributors', homepage: 'https://github.com/jdecked/twemoji',
    attribution: 'Twemoji graphics © Twitter, Inc and other contributors, licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Rasterised, trimmed and resized.',
  },
  {
    id: 'openmoji', name: 'OpenMoji', npmPackage: '@iconify-json/openmoji', source: { kind: 'iconify', set: 'openmoji' },
    licence: 'CC-BY-SA-4.0', copyright: 'OpenMoji – the open-source emoji and icon project', homepage: 'https://openmoji.org',
    attribution: 'OpenMoji – the open-source emoji and icon project (https://openmoji.org), licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). Rasterised, trimmed and resized; images generated from them are shared under CC BY-SA 4.0.',
  },
  {
    id: 'fluent-color', name: 'Fluent Emoji Color', npmPackage: '@iconify-json/fluent-emoji', source: { kind: 'iconify', set: 'fluent-emoji' },
    licence: 'MIT', copyright: 'Microsoft Corporation', homepage: 'https://github.com/microsoft/fluentui-emoji',
    attribution: 'Fluent Emoji © Microsoft Corporation, MIT License.',
  },
  {
    id: 'fluent-flat', name: 'Fluent Emoji Flat', npmPackage: '@iconify-json/fluent-emoji-flat', source: { kind: 'iconify', set: 'fluent-emoji-flat' },
    licence: 'MIT', copyright: 'Microsoft Corporation', homepage: 'https://github.com/microsoft/fluentui-emoji',
    attribution: 'Fluent Emoji Flat © Microsoft Corporation, MIT License.',
  },
  {
    id: 'fluent-hc', name: 'Fluent Emoji High Contrast', npmPackage: '@iconify-json/fluent-emoji-high-contrast', source: { kind: 'iconify', set: 'fluent-emoji-high-contrast' },
    licence: 'MIT', copyright: 'Microsoft Corporation', homepage: 'https://github.com/microsoft/fluentui-emoji',
    attribution: 'Fluent Emoji High Contrast © Microsoft Corporation, MIT License.',
  },
  {
    id: 'fluent-3d', name: 'Fluent Emoji 3D', npmPackage: '@lobehub/fluent-emoji-3d', source: { kind: 'fluent3d' },
    licence: 'MIT', copyright: 'Microsoft Corporation (packaged by LobeHub)', homepage: 'https://github.com/lobehub/fluent-emoji',
    attribution: 'Fluent Emoji 3D © Microsoft Corporation, MIT License; WebP packaging by LobeHub.',
  },
  {
    id: 'emojione', name: 'EmojiOne 2.2', npmPackage: '@iconify-json/emojione', source: { kind: 'iconify', set: 'emojione' },
    licence: 'CC-BY-4.0', copyright: 'Emoji One', homepage: 'https://github.com/EmojiTwo/emojitwo',
    attribution: 'Emoji artwork provided by EmojiOne 2.2 (Emoji One), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Rasterised, trimmed and resized.',
  },
  {
    id: 'emojione-mono', name: 'EmojiOne Monotone', npmPackage: '@iconify-json/emojione-monotone', source: { kind: 'iconify', set: 'emojione-monotone' },
    licence: 'CC-BY-4.0', copyright: 'Emoji One', homepage: 'https://github.com/EmojiTwo/emojitwo',
    attribution: 'Emoji artwork provided by EmojiOne (monotone, Emoji One), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Rasterised, trimmed and resized.',
  },
  {
    id: 'emojione-v1', name: 'EmojiOne 1', npmPackage: '@iconify-json/emojione-v1', source: { kind: 'iconify', set: 'emojione-v1' },
    licence: 'CC-BY-SA-4.0', copyright: 'Emoji One', homepage: 'https://github.com/joypixels/emojione-legacy',
    attribution: 'Emoji artwork provided by EmojiOne 1 (Emoji One), licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). Rasterised, trimmed and resized; images generated from them are shared under CC BY-SA 4.0.',
  },
  {
    id: 'fxemoji', name: 'Firefox OS Emoji', npmPackage: '@iconify-json/fxemoji', source: { kind: 'iconify', set: 'fxemoji' },
    licence: 'Apache-2.0', copyright: 'Mozilla Foundation', homepage: 'https://github.com/mozilla/fxemoji',
    attribution: 'Firefox OS Emoji © Mozilla Foundation, Apache License 2.0.',
  },
  {
    id: 'streamline', name: 'Streamline Emojis', npmPackage: '@iconify-json/streamline-emojis', source: { kind: 'iconify', set: 'streamline-emojis' },
    licence: 'CC-BY-4.0', copyright: 'Streamline (webalys)', homepage: 'https://github.com/webalys-hq/streamline-vectors',
    attribution: 'Streamline Emojis by Streamline / webalys (https://github.com/webalys-hq/streamline-vectors), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Rasterised, trimmed and resized.',
  },
];

/** Sets that must never enter the corpus, whatever a config says. */
export const FORBIDDEN_PACKAGES = [
  'emoji-datasource-apple', 'emoji-datasource-facebook', 'emoji-assets', 'emojione-assets',
  'emoji-datasource-emojione', 'wechat-emoji-parser',
] as const;
