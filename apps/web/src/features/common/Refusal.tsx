import { useIntl } from 'react-intl';
import { ApiRefusal } from '../../api/client';

/** Every refusal in the person's language, from its stable code; the API's own words as a fallback. */
export function useRefusalText() {
  const intl = useIntl();
  return (error: unknown): string => {
    if (!(error instanceof ApiRefusal)) return intl.formatMessage({ id: 'error.network' });
    const id = `error.${error.code}`;
    if (intl.messages[id]) return intl.formatMessage({ id }, flat(error.details));
    return intl.formatMessage({ id: 'error.other' }, { code: error.code, message: error.message });
  };
}

const flat = (details: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(details).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
  );

/** A refusal next to what it concerns: announced to screen readers as it appears. */
export function Refusal({ error, id }: { error: unknown; id?: string }) {
  const text = useRefusalText();
  if (!error) return null;
  return (
    <p
      className="refusal"
      role="alert"
      id={id}
      data-code={error instanceof ApiRefusal ? error.code : 'network'}
    >
      {text(error)}
    </p>
  );
}

/** The field a refusal concerns, when its code names one (shown beside that field). */
export function refusalField(error: unknown): string | null {
  if (!(error instanceof ApiRefusal)) return null;
  // class-validator's problems name the field first: "amount must not be less than 1".
  const problems = error.details.problems as string[] | undefined;
  if (typeof problems?.[0] === 'string') return problems[0].split(/[\s.:[]/)[0];
  const byCode: Record<string, string> = {
    'CASE.REASONS_REQUIRED': 'reasons',
    'CASE.UNKNOWN_STATE': 'state',
    'AUTH.PASSWORD_TOO_SHORT': 'password',
    'PEOPLE.EMAIL_TAKEN': 'email',
    'PEOPLE.INVALID_SCOPE': 'scope',
    'CASE.OCCURRED_IN_FUTURE': 'occurredAt',
    'CASE.OCCURRED_BEFORE_REQUEST': 'occurredAt',
    'CASE.OUT_OF_ORDER': 'occurredAt',
  };
  const field = error.details.field;
  return byCode[error.code] ?? (typeof field === 'string' ? field : null);
}
