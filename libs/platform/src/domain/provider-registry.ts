import type { Command, Decider, DomainEvent } from '@keystone/event-store';
import {
  isProviderKind,
  memberState,
  PROVIDER_KINDS,
  type ProviderKind,
} from '@keystone/reference-data';
import { notInFuture, platformError, required } from './platform.errors';

/**
 * The provider registry: who may offer, as officers registered them. One stream for the whole
 * registry: it is small (hundreds), written rarely, read whole by every offer, and one stream makes
 * an id unique without a second index.
 */
export const PROVIDER_REGISTRY_STREAM = 'provider-registry';

export interface RegisteredProvider {
  readonly id: string;
  readonly kind: ProviderKind;
  readonly name: string;
  /** The State it belongs to: required of a State and of a national human rights institution. */
  readonly state?: string;
  readonly retired: boolean;
}

export type ProviderRegistered = DomainEvent<
  'ProviderRegistered',
  { providerId: string; kind: ProviderKind; name: string; state?: string }
>;
export type ProviderRetired = DomainEvent<
  'ProviderRetired',
  { providerId: string; reason: string }
>;
export type ProviderRegistryEvent = ProviderRegistered | ProviderRetired;

export type RegisterProvider = Command<'RegisterProvider', ProviderRegistered['data']>;
export type RetireProvider = Command<'RetireProvider', { providerId: string; reason: string }>;
export type ProviderRegistryCommand = RegisterProvider | RetireProvider;

export type ProviderRegistryState = Readonly<Record<string, RegisteredProvider>>;

const ID = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/;

export const providerRegistryDecider: Decider<
  ProviderRegistryCommand,
  ProviderRegistryEvent,
  ProviderRegistryState
> = {
  initialState: () => ({}),
  evolve(state, event) {
    switch (event.type) {
      case 'ProviderRegistered': {
        const { providerId, kind, name, state: iso3 } = event.data;
        return {
          ...state,
          [providerId]: {
            id: providerId,
            kind,
            name,
            ...(iso3 ? { state: iso3 } : {}),
            retired: false,
          },
        };
      }
      case 'ProviderRetired': {
        const provider = state[event.data.providerId];
        return provider ? { ...state, [provider.id]: { ...provider, retired: true } } : state;
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
      case 'RegisterProvider': {
        const { providerId, kind } = command.data;
        if (!ID.test(providerId ?? ''))
          throw platformError.invalid(
            `A provider id is letters, digits and : . _ - (at most 100), got ${JSON.stringify(providerId)}`,
            { field: 'providerId' },
          );
        if (state[providerId]) throw platformError.providerRegistered(providerId);
        if (!isProviderKind(kind))
          throw platformError.invalid(`kind must be one of ${PROVIDER_KINDS.join(', ')}`, {
            field: 'kind',
          });
        const name = required(command.data.name, 'name');
        const needsState = kind === 'state' || kind === 'nhri';
        if (!needsState) return [{ type: 'ProviderRegistered', data: { providerId, kind, name } }];
        const member = memberState(command.data.state ?? '');
        if (!member) throw platformError.unknownState(command.data.state ?? '(none)');
        return [
          { type: 'ProviderRegistered', data: { providerId, kind, name, state: member.iso3 } },
        ];
      }
      case 'RetireProvider': {
        const provider = state[command.data.providerId];
        if (!provider) throw platformError.providerNotRegistered(command.data.providerId);
        if (provider.retired) throw platformError.providerRetired(provider.id);
        return [
          {
            type: 'ProviderRetired',
            data: { providerId: provider.id, reason: required(command.data.reason, 'reason') },
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

/** The provider an offer names, as registered; refused when not registered or retired. */
export function offeringAs(state: ProviderRegistryState, providerId: string) {
  const provider = state[providerId];
  if (!provider) throw platformError.providerNotRegistered(providerId);
  if (provider.retired) throw platformError.providerRetired(providerId);
  // A State provides as that State; an NHRI provides as its own institution (peer support).
  return {
    kind: provider.kind,
    id: provider.id,
    name: provider.name,
    ...(provider.kind === 'state' ? { state: provider.state } : {}),
  };
}
