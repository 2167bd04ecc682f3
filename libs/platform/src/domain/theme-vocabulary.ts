import type { Command, Decider, DomainEvent } from '@keystone/event-store';
import { resolveTheme, themeSlug, THEMES } from '@keystone/reference-data';
import { notInFuture, platformError, required } from './platform.errors';

/**
 * New themes: proposed (by a focal point, a committee member or an officer), then accepted or
 * rejected by a case officer. Accepted themes join the reference vocabulary: requests, rosters and
 * filters resolve them by slug, label or synonym. One stream: the vocabulary is small.
 */
export const THEME_VOCABULARY_STREAM = 'theme-vocabulary';

export interface ProposedTheme {
  readonly slug: string;
  readonly label: string;
  readonly synonyms: readonly string[];
  readonly status: 'proposed' | 'accepted' | 'rejected';
}

export type ThemeProposed = DomainEvent<
  'ThemeProposed',
  { slug: string; label: string; synonyms: string[]; proposedBy: string }
>;
export type ThemeAccepted = DomainEvent<'ThemeAccepted', { slug: string }>;
export type ThemeRejected = DomainEvent<'ThemeRejected', { slug: string; reason: string }>;
export type ThemeVocabularyEvent = ThemeProposed | ThemeAccepted | ThemeRejected;

export type ProposeTheme = Command<'ProposeTheme', { label: string; synonyms: string[] }>;
export type AcceptTheme = Command<'AcceptTheme', { slug: string }>;
export type RejectTheme = Command<'RejectTheme', { slug: string; reason: string }>;
export type ThemeVocabularyCommand = ProposeTheme | AcceptTheme | RejectTheme;

export type ThemeVocabularyState = Readonly<Record<string, ProposedTheme>>;

const STATIC_SLUGS = new Set(THEMES.map((t) => t.slug));

/**
 * The theme free text names, given the themes officers accepted: a theme of the reference
 * vocabulary or an accepted one, by slug, label or synonym, in any case; null when none.
 */
export function resolveThemeIn(text: string, accepted: readonly ProposedTheme[]): string | null {
  const slug = themeSlug(text);
  if (slug === null) return null;
  const known = resolveTheme(text);
  if (known && STATIC_SLUGS.has(known)) return known;
  for (const theme of accepted)
    if ([theme.slug, theme.label, ...theme.synonyms].some((name) => themeSlug(name) === slug))
      return theme.slug;
  return null;
}

export const acceptedThemes = (state: ThemeVocabularyState): ProposedTheme[] =>
  Object.values(state).filter((t) => t.status === 'accepted');

export const themeVocabularyDecider: Decider<
  ThemeVocabularyCommand,
  ThemeVocabularyEvent,
  ThemeVocabularyState
> = {
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case 'ThemeProposed': {
        const { slug, label, synonyms } = event.data;
        return { ...state, [slug]: { slug, label, synonyms, status: 'proposed' } };
      }
      case 'ThemeAccepted':
      case 'ThemeRejected': {
        const theme = state[event.data.slug];
        const status = event.type === 'ThemeAccepted' ? 'accepted' : 'rejected';
        return theme ? { ...state, [theme.slug]: { ...theme, status } } : state;
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
  decide(command, state) {
    notInFuture(command.context.occurredAt, command.context.now);
    switch (command.type) {
      case 'ProposeTheme': {
        const label = required(command.data.label, 'label');
        const slug = themeSlug(label);
        if (!slug)
          throw platformError.invalid('A theme label has at most 80 letters or digits', {
            field: 'label',
          });
        const synonyms = [
          ...new Set((command.data.synonyms ?? []).map((s) => s.trim()).filter(Boolean)),
        ];
        const open = Object.values(state).filter((t) => t.status !== 'rejected');
        for (const [i, name] of [label, ...synonyms].entries()) {
          const field = i === 0 ? 'label' : 'synonyms';
          const known = resolveThemeIn(name, open);
          const pending = open.find((t) =>
            [t.slug, t.label, ...t.synonyms].some((n) => themeSlug(n) === themeSlug(name)),
          );
          if (known) throw platformError.themeKnown(name, known, field);
          if (pending) throw platformError.themeKnown(name, pending.slug, field);
        }
        return [
          {
            type: 'ThemeProposed',
            data: { slug, label, synonyms, proposedBy: command.context.actor },
          },
        ];
      }
      case 'AcceptTheme':
      case 'RejectTheme': {
        const theme = state[command.data.slug];
        if (!theme) throw platformError.themeNotProposed(command.data.slug);
        if (theme.status !== 'proposed') throw platformError.themeDecided(theme.slug, theme.status);
        return command.type === 'AcceptTheme'
          ? [{ type: 'ThemeAccepted', data: { slug: theme.slug } }]
          : [
              {
                type: 'ThemeRejected',
                data: { slug: theme.slug, reason: required(command.data.reason, 'reason') },
              },
            ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};
