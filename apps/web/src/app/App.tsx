import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { FormattedMessage, IntlProvider, useIntl } from 'react-intl';
import {
  createHashRouter,
  Navigate,
  NavLink,
  Outlet,
  RouterProvider,
  useParams,
} from 'react-router';
import { PublicPanel } from '../features/panel/PublicPanel';
import { AcceptInvitation, SignIn } from '../features/auth/SignIn';
import { HOME, useMe, useSignOut, type Me } from '../features/auth/session';
import { CaseListPage } from '../features/cases/CaseListPage';
import { CasePage } from '../features/cases/CasePage';
import { RequestForm } from '../features/cases/RequestForm';
import { ScreeningQueue } from '../features/screening/ScreeningQueue';
import { OffersBoard } from '../features/offers/OffersBoard';
import { PeoplePage } from '../features/people/PeoplePage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { AuditPage } from '../features/audit/AuditPage';
import { InboxPage } from '../features/inbox/InboxPage';
import { RosterPage } from '../features/roster/RosterPage';
import { FundPage } from '../features/fund/FundPage';
import { SessionsPage } from '../features/platform/SessionsPage';
import { SessionPage } from '../features/platform/SessionPage';
import { ProvidersPage } from '../features/platform/ProvidersPage';
import { ThemesPage } from '../features/platform/ThemesPage';
import { Refusal } from '../features/common/Refusal';
import { LanguageSwitch } from './LanguageSwitch';
import { directionOf, initialLocale, LOCALES, type Locale } from '../i18n/locale';

const queries = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

/**
 * The shell: the language (kept in ?lang=, and the signed-in person's own once known), the header
 * with what this role works on, and the page. Routes live after the # so the API keeps every path.
 */
export function App() {
  const [locale, setLocale] = useState<Locale>(() =>
    initialLocale(window.location.search, navigator.languages),
  );
  // A language asked for (?lang=, or the switch) wins over the signed-in person's own.
  const [chosen, setChosen] = useState(() =>
    new URLSearchParams(window.location.search).has('lang'),
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
    if (!chosen) return;
    const url = new URL(window.location.href);
    url.searchParams.set('lang', locale);
    window.history.replaceState(window.history.state, '', url);
  }, [locale, chosen]);
  const choose = useCallback(
    (next: Locale, explicit: boolean) => {
      if (explicit) setChosen(true);
      else if (chosen) return;
      setLocale(next);
    },
    [chosen],
  );
  return (
    <QueryClientProvider client={queries}>
      <IntlProvider locale={locale} messages={LOCALES[locale]} defaultLocale="en">
        <LocaleContext.Provider value={{ locale, choose }}>
          <RouterProvider router={router} />
        </LocaleContext.Provider>
      </IntlProvider>
    </QueryClientProvider>
  );
}

const LocaleContext = createContext<{
  locale: Locale;
  choose: (l: Locale, explicit: boolean) => void;
}>({
  locale: 'en',
  choose: () => undefined,
});

const router = createHashRouter([
  {
    element: <Shell />,
    children: [
      { index: true, element: <Home /> },
      { path: 'public', element: <PublicPanel /> },
      { path: 'invitation/:token', element: <Invitation /> },
      {
        element: <SignedIn />,
        children: [
          { path: 'dashboard', element: <DashboardPage /> },
          { path: 'audit', element: <AuditPage /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'roster', element: <RosterPage /> },
          { path: 'fund', element: <FundPage /> },
          { path: 'cases', element: <CaseListPage /> },
          { path: 'cases/new', element: <RequestForm /> },
          { path: 'cases/:caseId', element: <CasePage /> },
          { path: 'screening', element: <ScreeningQueue /> },
          { path: 'offers', element: <OffersBoard /> },
          { path: 'people', element: <PeoplePage /> },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'sessions/:sessionId', element: <SessionPage /> },
          { path: 'providers', element: <ProvidersPage /> },
          { path: 'themes', element: <ThemesPage /> },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);

function Invitation() {
  const { token = '' } = useParams();
  return <AcceptInvitation token={token} />;
}

/** Signed in: the role's own screen; otherwise the sign-in page. */
function Home() {
  const me = useMe();
  if (me.isPending) return null;
  if (me.error) return <Refusal error={me.error} />;
  return me.data ? <Navigate to={HOME[me.data.role]} replace /> : <SignIn />;
}

function SignedIn() {
  const me = useMe();
  if (me.isPending) return null;
  return me.data ? <Outlet /> : <Navigate to="/" replace />;
}

function Shell() {
  const { locale, choose } = useContext(LocaleContext);
  const me = useMe();
  // A person's own language, once they sign in, unless one was asked for.
  const own = me.data?.language;
  useEffect(() => {
    if (own && own in LOCALES) choose(own as Locale, false);
  }, [own, choose]);
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        <FormattedMessage id="app.skip" />
      </a>
      <header className="masthead">
        <div>
          <p className="brand">Keystone</p>
          <p className="tagline">
            <FormattedMessage id="app.tagline" />
          </p>
        </div>
        <div className="session">
          <LanguageSwitch locale={locale} onLocale={(l) => choose(l, true)} />
          {me.data && <Account me={me.data} />}
        </div>
      </header>
      {me.data && <RoleNav me={me.data} />}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

function Account({ me }: { me: Me }) {
  const intl = useIntl();
  const signOut = useSignOut();
  return (
    <p className="account">
      <span>
        {me.name} · {intl.formatMessage({ id: `role.${me.role}` })}
      </span>{' '}
      <button type="button" className="link" onClick={() => void signOut()}>
        <FormattedMessage id="nav.signOut" />
      </button>
    </p>
  );
}

const NAV: Record<Me['role'], [path: string, label: string][]> = {
  'case-officer': [
    ['/dashboard', 'nav.dashboard'],
    ['/cases', 'nav.cases'],
    ['/screening', 'nav.screening'],
    ['/offers', 'nav.offers'],
    ['/roster', 'nav.roster'],
    ['/fund', 'nav.fund'],
    ['/sessions', 'nav.sessions'],
    ['/providers', 'nav.providers'],
    ['/themes', 'nav.themes'],
    ['/audit', 'nav.audit'],
    ['/inbox', 'nav.inbox'],
    ['/public', 'nav.panel'],
  ],
  'committee-member': [
    ['/screening', 'nav.screening'],
    ['/cases', 'nav.cases'],
    ['/sessions', 'nav.sessions'],
    ['/themes', 'nav.themes'],
    ['/inbox', 'nav.inbox'],
    ['/public', 'nav.panel'],
  ],
  'state-focal-point': [
    ['/cases', 'nav.myRequests'],
    ['/cases/new', 'request.new'],
    ['/sessions', 'nav.sessions'],
    ['/themes', 'nav.themes'],
    ['/offers', 'nav.offers'],
    ['/inbox', 'nav.inbox'],
    ['/public', 'nav.panel'],
  ],
  provider: [
    ['/offers', 'nav.offers'],
    ['/cases', 'nav.cases'],
    ['/sessions', 'nav.sessions'],
    ['/public', 'nav.panel'],
  ],
  auditor: [
    ['/audit', 'nav.audit'],
    ['/cases', 'nav.cases'],
    ['/screening', 'nav.screening'],
    ['/sessions', 'nav.sessions'],
    ['/public', 'nav.panel'],
  ],
  admin: [
    ['/people', 'nav.people'],
    ['/public', 'nav.panel'],
  ],
};

function RoleNav({ me }: { me: Me }) {
  const intl = useIntl();
  return (
    <nav aria-label={intl.formatMessage({ id: 'nav.label' })} className="role-nav">
      <ul>
        {NAV[me.role].map(([path, label]) => (
          <li key={path}>
            <NavLink to={path} end>
              {intl.formatMessage({ id: label })}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
