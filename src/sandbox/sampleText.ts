/**
 * Text that breaks naive CSV, XML and JSON handling: quotes, commas, newlines, markup,
 * non-Latin scripts, emoji and a surrogate pair at the end of a string.
 */
export const AWKWARD_TEXT: readonly string[] = [
  'He said "hello", then left',
  'line one\nline two',
  'Crème brûlée & café',
  '🚀 Launch week 🎉',
  '日本語のページ',
  'comma, separated, values',
  "O'Brien <b>bold</b> & co",
  'carriage\r\nreturn',
  'Ünïcödé ✓ — dash',
  '"quoted at the start',
  'tab\tseparated',
  'Ελληνικά και русский',
];

export const FIRST_NAMES: readonly string[] = [
  'Ada',
  'Grace',
  'Linus',
  'Zoë',
  'José',
  'Mei',
  'Olu',
  'Søren',
  'Priya',
  'Émile',
  'Noa',
  'Ian',
];

export const LAST_NAMES: readonly string[] = [
  'Lovelace',
  'Hopper',
  "O'Connor",
  'Nakamura',
  'García',
  'Okafor',
  'Kierkegaard',
  'Smith',
  'Müller',
  'Nguyen',
  'Patel',
  'Żółć',
];

export const WORDS: readonly string[] = [
  'Spring',
  'Webinar',
  'Pricing',
  'Launch',
  'Newsletter',
  'Summit',
  'Demo',
  'Trial',
  'Partner',
  'Renewal',
  'Onboarding',
  'Digest',
];
