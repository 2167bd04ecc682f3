import { useId, type ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Refusal, refusalField } from './Refusal';

/**
 * A labelled form field: its label, an optional hint, and the API's refusal beside it when the
 * refusal concerns this field (aria-describedby ties them together for screen readers).
 */
export function Field({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: unknown;
  children: (props: {
    id: string;
    name: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
  }) => ReactNode;
}) {
  const id = useId();
  const mine = refusalField(error) === name;
  const described = [hint ? `${id}-hint` : '', mine ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        name,
        'aria-describedby': described || undefined,
        'aria-invalid': mine || undefined,
      })}
      {mine && <Refusal error={error} id={`${id}-error`} />}
    </div>
  );
}

/** The form's refusal when it concerns no one field. */
export function FormRefusal({ error }: { error: unknown }) {
  if (!error || refusalField(error)) return null;
  return <Refusal error={error} />;
}

export function Submit({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" disabled={busy} aria-busy={busy}>
      {busy ? <FormattedMessage id="common.working" /> : label}
    </button>
  );
}

/** A labelled text area whose refusal shows beside it. */
export function TextArea({
  name,
  label,
  value,
  onChange,
  error,
  rows = 3,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: unknown;
  rows?: number;
  hint?: string;
}) {
  return (
    <Field name={name} label={label} hint={hint} error={error}>
      {(props) => (
        <textarea {...props} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** A labelled one-line input whose refusal shows beside it. */
export function TextInput({
  name,
  label,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  inputMode,
  maxLength,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: unknown;
  hint?: string;
  type?: 'text' | 'date' | 'email';
  inputMode?: 'numeric';
  maxLength?: number;
}) {
  return (
    <Field name={name} label={label} hint={hint} error={error}>
      {(props) => (
        <input
          {...props}
          type={type}
          inputMode={inputMode}
          maxLength={maxLength}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A form under its own heading, named by it: validated by the API, its refusals shown in place. */
export function TitledForm({
  id,
  title,
  onSubmit,
  children,
}: {
  id: string;
  title: ReactNode;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <>
      <h2 id={id}>{title}</h2>
      <form
        className="narrow"
        aria-labelledby={id}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </>
  );
}
