// Name fallbacks for icon sets without codepoint tables. Older sets use pre-2017 Unicode or CLDR
// names; Firefox OS Emoji uses its own short names, checked by eye against rendered sheets.

/** Older names by hexcode, tried after the current CLDR name. */
export const LEGACY_NAMES: Record<string, string[]> = {
  '1F603': ['smiling-face-with-open-mouth'],
  '1F604': ['smiling-face-with-open-mouth-and-smiling-eyes'],
  '1F605': ['smiling-face-with-open-mouth-and-cold-sweat'],
  '1F606': ['smiling-face-with-open-mouth-and-closed-eyes'],
  '1F60B': ['face-savouring-delicious-food'],
  '1F61B': ['face-with-stuck-out-tongue'],
  '1F61C': ['face-with-stuck-out-tongue-and-winking-eye'],
  '1F61D': ['face-with-stuck-out-tongue-and-closed-eyes'],
  '1F625': ['disappointed-but-relieved-face'],
  '1F613': ['face-with-cold-sweat'],
  '1F630': ['face-with-open-mouth-and-cold-sweat'],
  '1F61A': ['kissing-face-with-closed-eyes'],
  '1F63A': ['smiling-cat-face-with-open-mouth', 'grinning-cat-face'],
  '1F63D': ['kissing-cat-face-with-closed-eyes', 'kissing-cat-face'],
  '1F621': ['pouting-face'],
  '1F917': ['hugging-face'],
  '2620': ['black-skull-cross-bones'],
  '263A': ['white-smiling-face'],
  '2639': ['white-frowning-face'],
  '1F916': ['robot-face'],
  '1F479': ['japanese-ogre'],
  '1F47A': ['japanese-goblin'],
  '1F47D': ['extraterrestrial-alien'],
  '1F92A': ['crazy-face'],
};

/** Firefox OS Emoji names by hexcode (its "cats" are foxes). */
export const FXEMOJI_NAMES: Record<string, string> = {
  '1F600': 'grin', '1F601': 'grineyes', '1F602': 'grintears', '1F603': 'grinwide', '1F604': 'grinwideeyes',
  '1F605': 'grinsweat', '1F606': 'grinsquint', '1F607': 'halo', '1F608': 'devilhorns', '1F609': 'winking',
  '1F60A': 'smileeyes', '1F60B': 'smiletongue', '1F60C': 'relieved', '1F60D': 'hearteyes', '1F60E': 'sunglasses',
  '1F60F': 'smirk', '1F610': 'neutral', '1F611': 'expressionless', '1F612': 'unamused', '1F613': 'sweat',
  '1F614': 'pensive', '1F615': 'confused', '1F616': 'confounded', '1F617': 'kiss', '1F618': 'kissing',
  '1F619': 'kisseyes', '1F61A': 'kissclosedeyes', '1F61B': 'tongueout', '1F61C': 'tongueoutwink', '1F61D': 'tongueoutwink2',
  '1F61E': 'disappointed', '1F61F': 'worried', '1F620': 'angry', '1F621': 'pouting', '1F622': 'crying',
  '1F623': 'perservere', '1F624': 'triumph', '1F625': 'dissapointedrelief', '1F626': 'frownmouth', '1F627': 'anguish',
  '1F628': 'fearful', '1F629': 'weary', '1F62A': 'sleepy', '1F62B': 'tired', '1F62C': 'grimacing',
  '1F62D': 'loudlycrying', '1F62E': 'openmouth', '1F62F': 'hushed', '1F630': 'coldsweat', '1F631': 'screamfear',
  '1F632': 'astonished', '1F633': 'flushed', '1F634': 'sleeping', '1F635': 'dizzyface', '1F636': 'nomouth',
  '1F637': 'medicalmask', '1F641': 'smallfrown', '1F642': 'smallsmile', '263A': 'whitesmilingface',
  '1F47F': 'imp', '1F479': 'ogre', '1F47A': 'japaneseangrymask', '1F480': 'skull', '2620': 'blackskullcrossbones',
  '1F4A9': 'poo', '1F47B': 'ghost', '1F47D': 'alien', '1F47E': 'alienmonster',
  '1F63A': 'foxgrin', '1F638': 'foxsmiling', '1F639': 'foxtearofjoy', '1F63B': 'foxheart', '1F63C': 'foxwry',
  '1F63D': 'foxkissing', '1F640': 'foxweary', '1F63F': 'foxcrying', '1F63E': 'foxpouting',
  '1F648': 'monkeysee', '1F649': 'monkeyhear', '1F64A': 'monkeyspeak',
};
