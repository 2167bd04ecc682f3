import type { Notification } from './notifications';

type Language = 'en' | 'fr' | 'es';

/** A notice's subject and opening line in each language; {caseId}, {days} filled in. */
const MESSAGES: Record<string, Record<Language, [subject: string, body: string]>> = {
  'committee-new-request': {
    en: ['A new request to screen', 'A new request for support waits for your screening.'],
    fr: ['Une nouvelle demande à examiner', 'Une nouvelle demande d’appui attend votre examen.'],
    es: ['Una nueva solicitud para examinar', 'Una nueva solicitud de apoyo espera su examen.'],
  },
  'committee-amended-request': {
    en: ['A request was amended', 'A request you screen was amended by its State.'],
    fr: [
      'Une demande a été modifiée',
      'Une demande que vous examinez a été modifiée par son État.',
    ],
    es: [
      'Se modificó una solicitud',
      'Una solicitud que usted examina fue modificada por su Estado.',
    ],
  },
  'consent-reminder': {
    en: ['Consent is still pending', 'The State’s consent to this request is still pending.'],
    fr: [
      'Le consentement est toujours attendu',
      'Le consentement de l’État à cette demande est toujours attendu.',
    ],
    es: [
      'El consentimiento sigue pendiente',
      'El consentimiento del Estado a esta solicitud sigue pendiente.',
    ],
  },
  'screening-reminder': {
    en: ['A request waits for screening', 'This request has waited {days} days for screening.'],
    fr: ['Une demande attend son examen', 'Cette demande attend son examen depuis {days} jours.'],
    es: ['Una solicitud espera su examen', 'Esta solicitud lleva {days} días esperando su examen.'],
  },
  'offer-received': {
    en: ['An offer of support was made', 'A provider made an offer on your State’s request.'],
    fr: [
      'Une offre d’appui a été faite',
      'Un prestataire a fait une offre sur la demande de votre État.',
    ],
    es: [
      'Se hizo una oferta de apoyo',
      'Un proveedor hizo una oferta sobre la solicitud de su Estado.',
    ],
  },
  'report-reminder': {
    en: ['A progress report falls due', 'A progress report on this case is due in {days} days.'],
    fr: [
      'Un rapport d’étape arrive à échéance',
      'Un rapport d’étape sur ce dossier est attendu dans {days} jours.',
    ],
    es: [
      'Vence un informe de progreso',
      'Un informe de progreso sobre este caso vence en {days} días.',
    ],
  },
  'report-back-reminder': {
    en: [
      'A report-back falls due',
      'Your State is due to report back on the support this case received at a platform session: register the report-back at the next session.',
    ],
    fr: [
      'Un compte rendu arrive à échéance',
      'Votre État doit rendre compte de l’appui reçu dans ce dossier lors d’une session de la plateforme : inscrivez ce compte rendu à la prochaine session.',
    ],
    es: [
      'Vence un informe de seguimiento',
      'Su Estado debe informar sobre el apoyo recibido en este caso en una sesión de la plataforma: inscriba el informe en la próxima sesión.',
    ],
  },
  'report-back-due': {
    en: [
      'A report-back falls due today',
      'The report-back on the support this case received falls due today.',
    ],
    fr: [
      'Un compte rendu arrive à échéance aujourd’hui',
      'Le compte rendu sur l’appui reçu dans ce dossier arrive à échéance aujourd’hui.',
    ],
    es: [
      'Vence hoy un informe de seguimiento',
      'El informe de seguimiento sobre el apoyo recibido en este caso vence hoy.',
    ],
  },
  'report-overdue': {
    en: ['A progress report is overdue', 'The progress report on this case is overdue.'],
    fr: ['Un rapport d’étape est en retard', 'Le rapport d’étape sur ce dossier est en retard.'],
    es: [
      'Un informe de progreso está atrasado',
      'El informe de progreso sobre este caso está atrasado.',
    ],
  },
};

const FOOTER: Record<Language, [open: string, why: string]> = {
  en: ['Open the case in Keystone:', 'You receive this because of your role in Keystone.'],
  fr: [
    'Ouvrir le dossier dans Keystone :',
    'Vous recevez ce message en raison de votre rôle dans Keystone.',
  ],
  es: ['Abrir el caso en Keystone:', 'Recibe este mensaje por su función en Keystone.'],
};

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * The e-mail of one notice to one person, in their language, with a link into the web app. A notice
 * kind without a translation goes out with its English message.
 */
export function composeMail(
  notification: Notification,
  person: { email: string; name: string; language: string },
  publicUrl: string,
): Mail {
  const language: Language =
    (['en', 'fr', 'es'] as const).find((l) => l === person.language) ?? 'en';
  const days = /-(\d+)d$/.exec(notification.kind)?.[1];
  const kind = notification.kind.replace(/-\d+d$/, '').replace(/-officers$/, '');
  const [subject, body] = MESSAGES[kind]?.[language] ?? ['Keystone', notification.message];
  const fill = (text: string) =>
    text.replace('{days}', days ?? '').replace('{caseId}', notification.caseId);
  const link = `${publicUrl}/#/cases/${encodeURIComponent(notification.caseId)}`;
  const [open, why] = FOOTER[language];
  return {
    to: `${person.name.replace(/[<>"\r\n]/g, '')} <${person.email}>`,
    subject: `Keystone: ${fill(subject)}`,
    text: [fill(body), '', `${open} ${link}`, '', '—', why].join('\n'),
  };
}
