import { describe, expect, it } from 'vitest';
import { templateParts } from '../../../training/eval/evaluators';

describe('the template judge asks for the style family and, separately, cat or face', () => {
  it('splits emoji templates into families × kinds', () => {
    const ids = ['noto', 'noto-cat', 'twemoji', 'twemoji-cat', 'fxemoji'];
    const info = new Map([
      ['noto', { style: 'noto', kind: 'face' }],
      ['noto-cat', { style: 'noto', kind: 'cat' }],
      ['twemoji', { style: 'twemoji', kind: 'face' }],
      ['twemoji-cat', { style: 'twemoji', kind: 'cat' }],
      ['fxemoji', { style: 'fxemoji', kind: 'face' }],
    ]);
    const p = templateParts(ids, info);
    expect(p.families).toEqual(['fxemoji', 'noto', 'twemoji']);
    expect(p.kinds).toEqual(['cat', 'face']);
    expect(ids.map((_, t) => `${p.families[p.family[t]]}/${p.kinds[p.kind[t]]}`)).toEqual(['noto/face', 'noto/cat', 'twemoji/face', 'twemoji/cat', 'fxemoji/face']);
  });

  it('falls back to one family per template, with no kind question, when (family, kind) does not name a template', () => {
    const ids = ['c0', 'c1'];
    const info = new Map([
      ['c0', { style: 'mine', kind: 'user' }],
      ['c1', { style: 'mine', kind: 'user' }],
    ]);
    const p = templateParts(ids, info);
    expect(p.families).toEqual(['c0', 'c1']);
    expect(p.kinds).toHaveLength(1); // one kind: the kind classifier is not trained
  });
});
