import type { Provider } from '../domain/case.events';

/**
 * What a case command needs of the platform context (libs/platform), which implements it: the
 * registered providers, the sessions requests and pledges name, the themes officers accepted. A
 * port here so that cases does not import the platform; the platform imports cases.
 */
export const CASE_PLATFORM = Symbol('CASE_PLATFORM');

export interface CasePlatform {
  /** The provider as the registry records it; refuses one not registered (PROVIDER.NOT_REGISTERED) or retired. */
  registeredProvider(providerId: string): Promise<Provider>;
  /** Refuses a session that does not exist or does not take requests and pledges now. */
  checkSessionTakes(sessionId: string, what: 'Requests' | 'Pledges'): Promise<void>;
  /** Each theme named, as the slug of a theme of the vocabulary or one officers accepted; refuses an unknown one (THEME.UNKNOWN). */
  resolveThemes(texts: readonly string[]): Promise<string[]>;
}
