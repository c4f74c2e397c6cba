// Deterministic data generation: a seeded PRNG (mulberry32) and small text helpers.

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (probability) => next() < probability,
  };
}

const FIRST = [
  'Ava',
  'Liam',
  'Maya',
  'Noah',
  'Zoe',
  'Ethan',
  'Lena',
  'Omar',
  'Sofia',
  'Raj',
  'Chloe',
  'Mateo',
  'Ines',
  'Kai',
  'Hana',
  'Jonas',
  'Priya',
  'Lucas',
  'Amara',
  'Felix',
];
const LAST = [
  'Garcia',
  'Chen',
  'Müller',
  'Okafor',
  'Novak',
  'Silva',
  'Kim',
  'Rossi',
  'Dubois',
  'Haddad',
  'Larsen',
  'Patel',
  'Kowalski',
  'Tanaka',
  'Moreau',
  'Schmidt',
  'Costa',
  'Nguyen',
];

export function personName(random: Random): string {
  return `${random.pick(FIRST)} ${random.pick(LAST)}`;
}

const FILLER = [
  'We reviewed the numbers with the team last week and the trend is consistent with the previous quarter.',
  'The rollout went through the usual staging checks before it reached every region.',
  'Several customers asked about the timeline, so we shared the current plan and the open risks.',
  'The dashboard now shows the daily totals next to the weekly averages.',
  'Our support team documented the workaround in the help center for anyone who needs it today.',
  'Procurement confirmed the contract terms and the invoice schedule for the next twelve months.',
  'Latency stayed under the target during peak hours after the cache change.',
  'The onboarding flow was simplified to three steps based on feedback from the pilot group.',
  'Legal asked for a short review of the data retention clause before we sign.',
  'The migration of the remaining accounts is planned for the first week of next month.',
  'Engineering added monitoring for the payment webhooks and the alert thresholds were tuned.',
  'Marketing will share the campaign results once the attribution data is complete.',
  'The new pricing page increased trial signups, especially on mobile.',
  'We are still waiting on the vendor to confirm the fix for the export timeout.',
  'Thanks again for the quick turnaround on the last request.',
];

/** `count` sentences of realistic business filler. */
export function sentences(random: Random, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(random.pick(FILLER));
  return out.join(' ');
}

/** An ISO timestamp `daysBefore` days (fractional) before `reference`. */
export function isoBefore(reference: string, daysBefore: number): string {
  return new Date(Date.parse(reference) - daysBefore * 86_400_000).toISOString();
}
