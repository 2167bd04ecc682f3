import type { Command, DomainEvent } from '@keystone/event-store';

/** Personal data sealed with the expert's own key (AES-256-GCM); the key lives outside the log. */
export interface SealedPersonalData {
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export interface Period {
  readonly from: string;
  readonly to: string;
}

export type ExpertRegistered = DomainEvent<
  'ExpertRegistered',
  { expertId: string; personal: SealedPersonalData; languages: string[]; themes: string[] }
>;
export type ExpertAvailabilitySet = DomainEvent<'ExpertAvailabilitySet', { periods: Period[] }>;
export type ExpertBooked = DomainEvent<
  'ExpertBooked',
  { deploymentId: string; caseId: string; from: string; to: string }
>;
export type ExpertErased = DomainEvent<'ExpertErased', { keyId: string }>;
export type ExpertEvent = ExpertRegistered | ExpertAvailabilitySet | ExpertBooked | ExpertErased;

export type RegisterExpert = Command<
  'RegisterExpert',
  { expertId: string; personal: SealedPersonalData; languages: string[]; themes: string[] }
>;
export type SetAvailability = Command<'SetAvailability', { periods: Period[] }>;
export type BookExpert = Command<
  'BookExpert',
  { deploymentId: string; caseId: string; from: string; to: string }
>;
export type EraseExpert = Command<'EraseExpert', Record<string, never>>;
export type ExpertCommand = RegisterExpert | SetAvailability | BookExpert | EraseExpert;

export const expertStreamId = (expertId: string): string => `expert-${expertId}`;
