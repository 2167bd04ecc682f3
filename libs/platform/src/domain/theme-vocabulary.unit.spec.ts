import {
  commandsIn,
  deciderSpec,
  stateAfter,
  type Given,
} from '@keystone/event-store/testing/decider-spec';
import {
  acceptedThemes,
  resolveThemeIn,
  themeVocabularyDecider,
  type ThemeVocabularyCommand,
  type ThemeVocabularyEvent,
} from './theme-vocabulary';

const spec = deciderSpec(themeVocabularyDecider);
const cmd = commandsIn<ThemeVocabularyCommand>({
  actor: 'focal:fji',
  role: 'state-focal-point',
  correlationId: 'c',
  occurredAt: '2026-01-05T09:00:00.000Z',
  now: '2026-11-27T12:00:00.000Z',
});
const proposed: Given<ThemeVocabularyEvent> = {
  type: 'ThemeProposed',
  data: {
    slug: 'climate-justice',
    label: 'Climate justice',
    synonyms: ['climate and human rights'],
    proposedBy: 'focal:fji',
  },
};
const accepted: Given<ThemeVocabularyEvent> = {
  type: 'ThemeAccepted',
  data: { slug: 'climate-justice' },
};

describe('new themes: proposed, then accepted or rejected by an officer', () => {
  it('records a proposal under the label’s slug', () =>
    spec
      .given([])
      .when(
        cmd('ProposeTheme', {
          label: 'Climate justice',
          synonyms: [' climate and human rights ', ''],
        }),
      )
      .then([proposed]));
  it('refuses a name the vocabulary already knows, by label or synonym, in any case', () => {
    spec
      .given([])
      .when(cmd('ProposeTheme', { label: 'nhri', synonyms: [] }))
      .thenRefuses('THEME.KNOWN', {
        theme: 'national-human-rights-institutions',
      });
    spec
      .given([])
      .when(cmd('ProposeTheme', { label: 'Prisons', synonyms: ['Prison reform'] }))
      .thenRefuses('THEME.KNOWN', {
        theme: 'detention-and-prison-reform',
      });
  });
  it('refuses a name already proposed or accepted', () => {
    spec
      .given([proposed])
      .when(cmd('ProposeTheme', { label: 'Climate and human rights', synonyms: [] }))
      .thenRefuses('THEME.KNOWN', {
        theme: 'climate-justice',
      });
    spec
      .given([proposed, accepted])
      .when(cmd('ProposeTheme', { label: 'CLIMATE JUSTICE', synonyms: [] }))
      .thenRefuses('THEME.KNOWN');
  });
  it('takes a name again once its proposal was rejected', () =>
    spec
      .given([
        proposed,
        { type: 'ThemeRejected', data: { slug: 'climate-justice', reason: 'Covered by housing' } },
      ])
      .when(cmd('ProposeTheme', { label: 'Climate justice', synonyms: [] }))
      .then([{ type: 'ThemeProposed', data: { ...proposed.data, synonyms: [] } }]));
  it('accepts or rejects a pending proposal once', () => {
    spec
      .given([proposed])
      .when(cmd('AcceptTheme', { slug: 'climate-justice' }))
      .then([accepted]);
    spec
      .given([proposed])
      .when(cmd('RejectTheme', { slug: 'climate-justice', reason: 'Covered by an existing theme' }))
      .then([
        {
          type: 'ThemeRejected',
          data: { slug: 'climate-justice', reason: 'Covered by an existing theme' },
        },
      ]);
    spec
      .given([proposed, accepted])
      .when(cmd('RejectTheme', { slug: 'climate-justice', reason: 'x' }))
      .thenRefuses('THEME.ALREADY_DECIDED');
    spec
      .given([])
      .when(cmd('AcceptTheme', { slug: 'climate-justice' }))
      .thenRefuses('THEME.NOT_PROPOSED');
    spec
      .given([proposed])
      .when(cmd('RejectTheme', { slug: 'climate-justice', reason: '' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND');
  });
  it('resolves free text to the vocabulary and to accepted themes only, by any of their names', () => {
    const state = stateAfter(themeVocabularyDecider, [proposed, accepted]);
    const onlyProposed = stateAfter(themeVocabularyDecider, [proposed]);
    expect(resolveThemeIn('NPM', [])).toBe('torture-prevention');
    expect(resolveThemeIn('Climate and Human Rights', acceptedThemes(state))).toBe(
      'climate-justice',
    );
    expect(resolveThemeIn('climate justice', acceptedThemes(onlyProposed))).toBeNull();
    expect(resolveThemeIn('Something else', acceptedThemes(state))).toBeNull();
  });
});
