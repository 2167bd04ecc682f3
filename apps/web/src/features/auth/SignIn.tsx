import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { api, answer, ApiRefusal, CLIENT } from '../../api/client';
import { Refusal } from '../common/Refusal';
import { Field, FormRefusal, Submit } from '../common/Field';

/** The first page: e-mail and password; the public figures one link away. */
export function SignIn() {
  const intl = useIntl();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () =>
      answer<{ person: unknown }>(
        api.POST('/auth/session', { params: CLIENT, body: { email, password } }),
      ),
    onSuccess: (session) => client.setQueryData(['me'], session.person),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  // The identity provider's answer was refused: the API sent the person back here with its code.
  const refusedCode = new URLSearchParams(window.location.search).get('signInError');
  const providerRefusal = refusedCode ? new ApiRefusal(refusedCode, 401, refusedCode) : null;
  const methods = useQuery({
    queryKey: ['sign-in-methods'],
    queryFn: () => answer<{ password: boolean; oidc: boolean }>(api.GET('/auth/methods')),
    staleTime: Infinity,
  });
  return (
    <section className="narrow">
      <h1>
        <FormattedMessage id="signIn.title" />
      </h1>
      {providerRefusal && <Refusal error={providerRefusal} />}
      <form onSubmit={submit} noValidate>
        <Field name="email" label={intl.formatMessage({ id: 'signIn.email' })} error={signIn.error}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field
          name="password"
          label={intl.formatMessage({ id: 'signIn.password' })}
          error={signIn.error}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <FormRefusal error={signIn.error} />
        <Submit busy={signIn.isPending} label={intl.formatMessage({ id: 'signIn.submit' })} />
      </form>
      <p className="aside">
        <FormattedMessage id="signIn.invited" />
      </p>
      {methods.data?.oidc && (
        <p>
          {/* A full page navigation: the identity provider's pages, then back here signed in. */}
          <a className="button" href="/auth/oidc">
            <FormattedMessage id="signIn.oidc" />
          </a>
        </p>
      )}
      <p>
        <Link to="/public">
          <FormattedMessage id="signIn.public" />
        </Link>
      </p>
    </section>
  );
}

/** The invitation link: the person chooses their password, then signs in. */
export function AcceptInvitation({ token }: { token: string }) {
  const intl = useIntl();
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () =>
      answer(api.POST('/auth/invitation', { params: CLIENT, body: { token, password } })),
  });
  if (accept.isSuccess)
    return (
      <section className="narrow">
        <h1>
          <FormattedMessage id="invitation.title" />
        </h1>
        <p role="status">
          <FormattedMessage id="invitation.done" />
        </p>
        <Link to="/">
          <FormattedMessage id="signIn.title" />
        </Link>
      </section>
    );
  return (
    <section className="narrow">
      <h1>
        <FormattedMessage id="invitation.title" />
      </h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          accept.mutate();
        }}
        noValidate
      >
        <Field
          name="password"
          label={intl.formatMessage({ id: 'invitation.password' })}
          hint={intl.formatMessage({ id: 'invitation.hint' })}
          error={accept.error}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <FormRefusal error={accept.error} />
        <Submit busy={accept.isPending} label={intl.formatMessage({ id: 'invitation.submit' })} />
      </form>
    </section>
  );
}
