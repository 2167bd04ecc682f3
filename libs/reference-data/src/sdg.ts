/**
 * The Sustainable Development Goals and their 169 targets, by their official codes ("16.3", "5.c"):
 * goal.target, numbered targets first, then the means-of-implementation targets lettered a, b, c.
 * Source: "Transforming our world: the 2030 Agenda for Sustainable Development", General Assembly
 * resolution A/RES/70/1 (25 September 2015), the targets as listed in the global indicator framework
 * (A/RES/71/313, annex, as revised by the Statistical Commission's 2020 comprehensive review).
 */
export const SDG_SOURCE =
  'A/RES/70/1, Transforming our world: the 2030 Agenda for Sustainable Development; target codes as in A/RES/71/313 (global indicator framework, 2020 comprehensive review)';

/** Each goal: its short title, how many numbered targets it has, and its lettered ones. */
const GOALS: readonly (readonly [title: string, numbered: number, lettered: string])[] = [
  ['No poverty', 5, 'ab'],
  ['Zero hunger', 5, 'abc'],
  ['Good health and well-being', 9, 'abcd'],
  ['Quality education', 7, 'abc'],
  ['Gender equality', 6, 'abc'],
  ['Clean water and sanitation', 6, 'ab'],
  ['Affordable and clean energy', 3, 'ab'],
  ['Decent work and economic growth', 10, 'ab'],
  ['Industry, innovation and infrastructure', 5, 'abc'],
  ['Reduced inequalities', 7, 'abc'],
  ['Sustainable cities and communities', 7, 'abc'],
  ['Responsible consumption and production', 8, 'abc'],
  ['Climate action', 3, 'ab'],
  ['Life below water', 7, 'abc'],
  ['Life on land', 9, 'abc'],
  ['Peace, justice and strong institutions', 10, 'ab'],
  ['Partnerships for the goals', 19, ''],
];

export interface SdgGoal {
  readonly goal: number;
  readonly title: string;
  readonly targets: readonly string[];
}

export const SDG_GOALS: readonly SdgGoal[] = GOALS.map(([title, numbered, lettered], i) => ({
  goal: i + 1,
  title,
  targets: [
    ...Array.from({ length: numbered }, (_, n) => `${i + 1}.${n + 1}`),
    ...[...lettered].map((letter) => `${i + 1}.${letter}`),
  ],
}));

const TARGETS = new Set(SDG_GOALS.flatMap((g) => g.targets));

/** The official code of a target as written ("16.3", " 5.C "), or null when no such target exists. */
export function sdgTarget(code: string): string | null {
  const normal = String(code).trim().toLowerCase();
  return TARGETS.has(normal) ? normal : null;
}

/** The goal a target serves: "16.3" → 16. */
export const sdgGoalOf = (target: string): number => Number(target.split('.')[0]);
