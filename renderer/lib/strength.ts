// A passphrase strength estimate for the meter. Advisory: the contract's passphraseSchema decides what is
// accepted. It rewards length and randomness and punishes what guessers try first (common passwords,
// repeats, keyboard runs), following NCSC advice that three random words beat complexity rules.
export type StrengthLevel = 0 | 1 | 2 | 3 | 4;

const COMMON = [
  'password',
  'passw0rd',
  'qwerty',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'monkey',
  'dragon',
  'football',
  'sunshine',
  'princess',
  'abc123',
  '123456',
  'concordat',
  'changeme',
  'secret',
  'trustno1',
  'baseball',
  'master',
];
const RUNS = ['abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '01234567890'];

function poolSize(p: string): number {
  let size = 0;
  if (/[a-z]/.test(p)) size += 26;
  if (/[A-Z]/.test(p)) size += 26;
  if (/[0-9]/.test(p)) size += 10;
  if (/[ ]/.test(p)) size += 1;
  if (/[^a-zA-Z0-9 ]/.test(p)) size += 33;
  return Math.max(size, 1);
}

/** Characters that add little: repeats of the previous one and steps along an alphabet or keyboard row. */
function predictableCharacters(p: string): number {
  const lower = p.toLowerCase();
  let count = 0;
  for (let i = 1; i < lower.length; i++) {
    const pair = lower.slice(i - 1, i + 1);
    if (pair[0] === pair[1] || RUNS.some((run) => run.includes(pair))) count++;
  }
  return count;
}

/** Estimated bits of guessing work. */
export function estimateBits(passphrase: string): number {
  if (passphrase.length === 0) return 0;
  const lower = passphrase.toLowerCase();
  let effective = passphrase.length - predictableCharacters(passphrase) * 0.75;
  for (const word of COMMON) if (lower.includes(word)) effective -= word.length * 0.9;
  const distinct = new Set(passphrase).size;
  effective = Math.min(effective, distinct * 3);
  // Words from a dictionary carry far less than log2(pool) per letter: about 2.5 bits each.
  const perChar = Math.min(Math.log2(poolSize(passphrase)), 2.5 + (/[^a-z ]/.test(passphrase) ? 0.6 : 0));
  return Math.max(0, effective * perChar);
}

export function strengthOf(passphrase: string): { level: StrengthLevel; bits: number } {
  const bits = estimateBits(passphrase);
  if (passphrase.length < 12) return { level: 0, bits };
  const level: StrengthLevel = bits < 30 ? 1 : bits < 45 ? 2 : bits < 60 ? 3 : 4;
  return { level, bits };
}
