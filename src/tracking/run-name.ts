// Generated run names read like MLflow's ("adjective-noun-NNN"); the word lists are Plugboard's own.
const ADJECTIVES = [
  'amber', 'bold', 'brisk', 'calm', 'clever', 'crisp', 'daring', 'eager', 'fluent', 'gentle', 'glad', 'golden',
  'keen', 'lively', 'lucid', 'merry', 'nimble', 'patient', 'quiet', 'rapid', 'serene', 'sharp', 'steady', 'sunny',
  'swift', 'tidy', 'vivid', 'warm', 'wise', 'zesty',
];
const NOUNS = [
  'badger', 'beacon', 'bridge', 'canyon', 'comet', 'dune', 'falcon', 'fern', 'harbor', 'heron', 'island', 'kite',
  'lantern', 'maple', 'meadow', 'otter', 'pebble', 'pine', 'quartz', 'raven', 'reef', 'river', 'sparrow', 'summit',
  'thistle', 'tide', 'valley', 'willow', 'wren', 'zephyr',
];

/** Returns a random run name `adjective-noun-NNN` (NNN from 0 to 999); `random` defaults to Math.random. */
export function generateRunName(random: () => number = Math.random): string {
  const pick = (words: readonly string[]): string => words[Math.floor(random() * words.length)] ?? words[0]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(random() * 1000)}`;
}

/** Returns a new run id: 32 lowercase hex digits (a UUID v4 without dashes, as MLflow's `uuid4().hex`). */
export function generateRunId(): string {
  // getRandomValues, unlike randomUUID, is there in a page that is not a secure context (plain http on an intranet host).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // the RFC 4122 variant
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
