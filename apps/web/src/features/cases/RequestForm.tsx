import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { useNavigate } from 'react-router';
import { api, answer, wrote } from '../../api/client';
import { useMe } from '../auth/session';
import { Field, FormRefusal, Submit, TextArea } from '../common/Field';
import { THEMES } from './views';
import { SessionField } from '../platform/SessionsPage';

interface Recommendation {
  source: 'upr' | 'special-procedures' | 'treaty-bodies';
  reference: string;
  text: string;
}

/**
 * A State's request for support: themes from the vocabulary, what is sought, and the UN
 * recommendations it serves. Everything typed stays in the form when the API refuses it.
 */
export function RequestForm() {
  const intl = useIntl();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const [state, setState] = useState(me?.state ?? '');
  const [themes, setThemes] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [supportSought, setSupportSought] = useState('');
  const [sessionId, setSessionId] = useState('');
  const [sdgTargets, setSdgTargets] = useState('');
  const [notTied, setNotTied] = useState(false);
  const [recommendation, setRecommendation] = useState<Recommendation>({
    source: 'upr',
    reference: '',
    text: '',
  });
  // Themes officers accepted since the vocabulary was written, under the label they were given.
  const reference = useQuery({
    queryKey: ['reference-themes'],
    queryFn: () =>
      answer<{ themes: { slug: string; label: string; origin: string }[] }>(
        api.GET('/reference/themes'),
      ),
  });
  const accepted = (reference.data?.themes ?? []).filter((theme) => theme.origin === 'accepted');
  const submit = useMutation({
    mutationFn: () =>
      answer<{ caseId: string; position: number }>(
        api.POST('/cases', {
          body: {
            state: me?.role === 'state-focal-point' ? me.state! : state,
            themes,
            description,
            supportSought,
            recommendations:
              !notTied && (recommendation.reference || recommendation.text) ? [recommendation] : [],
            ...(notTied ? { notTiedToRecommendation: true } : {}),
            ...(sessionId ? { sessionId } : {}),
            ...(sdgTargets.trim()
              ? { sdgTargets: sdgTargets.split(/[,;\s]+/).filter(Boolean) }
              : {}),
          },
        }),
      ),
    onSuccess: (reply) => {
      wrote(reply);
      navigate(`/cases/${reply.caseId}`);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const t = (id: string) => intl.formatMessage({ id });
  return (
    <section className="narrow">
      <h1>
        <FormattedMessage id="request.title" />
      </h1>
      <form onSubmit={onSubmit} noValidate>
        {me?.role !== 'state-focal-point' && (
          <Field
            name="state"
            label={t('request.state')}
            hint={t('request.stateHint')}
            error={submit.error}
          >
            {(props) => (
              <input
                {...props}
                value={state}
                onChange={(e) => setState(e.target.value.toUpperCase())}
                maxLength={3}
              />
            )}
          </Field>
        )}
        <fieldset className="themes" aria-describedby="themes-hint">
          <legend>
            <FormattedMessage id="request.themes" />
          </legend>
          <p className="hint" id="themes-hint">
            <FormattedMessage id="request.themesHint" />
          </p>
          {[...THEMES, ...accepted.map((a) => a.slug)].map((theme) => (
            <label key={theme} className="check">
              <input
                type="checkbox"
                name="themes"
                value={theme}
                checked={themes.includes(theme)}
                onChange={(e) =>
                  setThemes(
                    e.target.checked ? [...themes, theme] : themes.filter((x) => x !== theme),
                  )
                }
              />
              {intl.formatMessage({
                id: `theme.${theme}`,
                defaultMessage: accepted.find((a) => a.slug === theme)?.label ?? theme,
              })}
            </label>
          ))}
        </fieldset>
        <TextArea
          name="description"
          label={t('request.description')}
          error={submit.error}
          rows={3}
          value={description}
          onChange={setDescription}
        />
        <TextArea
          name="supportSought"
          label={t('request.supportSought')}
          error={submit.error}
          rows={3}
          value={supportSought}
          onChange={setSupportSought}
        />
        <Field
          name="sdgTargets"
          label={t('request.sdgTargets')}
          hint={t('request.sdgTargetsHint')}
          error={submit.error}
        >
          {(props) => (
            <input {...props} value={sdgTargets} onChange={(e) => setSdgTargets(e.target.value)} />
          )}
        </Field>
        <SessionField value={sessionId} onChange={setSessionId} error={submit.error} />
        <label className="check">
          <input
            type="checkbox"
            name="notTiedToRecommendation"
            checked={notTied}
            onChange={(e) => setNotTied(e.target.checked)}
          />
          {t('request.notTied')}
        </label>
        <fieldset hidden={notTied}>
          <legend>
            <FormattedMessage id="request.recommendation" />
          </legend>
          <Field name="recommendations" label={t('request.source')} error={submit.error}>
            {(props) => (
              <select
                {...props}
                value={recommendation.source}
                onChange={(e) =>
                  setRecommendation({
                    ...recommendation,
                    source: e.target.value as Recommendation['source'],
                  })
                }
              >
                <option value="upr">{t('source.upr')}</option>
                <option value="treaty-bodies">{t('source.treaty-bodies')}</option>
                <option value="special-procedures">{t('source.special-procedures')}</option>
              </select>
            )}
          </Field>
          <Field name="reference" label={t('request.reference')} hint={t('request.referenceHint')}>
            {(props) => (
              <input
                {...props}
                value={recommendation.reference}
                onChange={(e) =>
                  setRecommendation({ ...recommendation, reference: e.target.value })
                }
              />
            )}
          </Field>
          <Field name="text" label={t('request.recommendationText')}>
            {(props) => (
              <textarea
                {...props}
                rows={2}
                value={recommendation.text}
                onChange={(e) => setRecommendation({ ...recommendation, text: e.target.value })}
              />
            )}
          </Field>
        </fieldset>
        <FormRefusal error={submit.error} />
        <Submit busy={submit.isPending} label={t('request.submit')} />
      </form>
    </section>
  );
}
