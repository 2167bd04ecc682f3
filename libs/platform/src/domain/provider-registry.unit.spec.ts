import {
  commandsIn,
  deciderSpec,
  stateAfter,
  type Given,
} from '@keystone/event-store/testing/decider-spec';
import {
  offeringAs,
  providerRegistryDecider,
  type ProviderRegistryCommand,
  type ProviderRegistryEvent,
} from './provider-registry';

const spec = deciderSpec(providerRegistryDecider);
const cmd = commandsIn<ProviderRegistryCommand>({
  actor: 'officer:ana',
  role: 'case-officer',
  correlationId: 'c',
  occurredAt: '2026-01-05T09:00:00.000Z',
  now: '2026-11-27T12:00:00.000Z',
});
const norway: Given<ProviderRegistryEvent> = {
  type: 'ProviderRegistered',
  data: { providerId: 'prov:nor', kind: 'state', name: 'Norway', state: 'NOR' },
};
const retired: Given<ProviderRegistryEvent> = {
  type: 'ProviderRetired',
  data: { providerId: 'prov:nor', reason: 'Programme ended' },
};
const state = (history: Given<ProviderRegistryEvent>[]) =>
  stateAfter(providerRegistryDecider, history);

describe('the provider registry', () => {
  it('registers a State, its code normalised', () =>
    spec
      .given([])
      .when(
        cmd('RegisterProvider', {
          providerId: 'prov:nor',
          kind: 'state',
          name: 'Norway',
          state: 'nor',
        }),
      )
      .then([norway]));
  it('registers each kind the reform names; an organisation without a State', () => {
    for (const kind of [
      'un-entity',
      'ngo',
      'regional-organisation',
      'development-partner',
    ] as const)
      spec
        .given([])
        .when(
          cmd('RegisterProvider', {
            providerId: `p-${kind}`,
            kind,
            name: 'An organisation',
            state: 'FRA',
          }),
        )
        .then([
          {
            type: 'ProviderRegistered',
            data: { providerId: `p-${kind}`, kind, name: 'An organisation' },
          },
        ]);
  });
  it('registers a national human rights institution with its State', () =>
    spec
      .given([])
      .when(
        cmd('RegisterProvider', {
          providerId: 'nhri:ken',
          kind: 'nhri',
          name: 'KNCHR',
          state: 'KEN',
        }),
      )
      .then([
        {
          type: 'ProviderRegistered',
          data: { providerId: 'nhri:ken', kind: 'nhri', name: 'KNCHR', state: 'KEN' },
        },
      ]));
  it('refuses a State or an NHRI without a UN member State', () => {
    spec
      .given([])
      .when(cmd('RegisterProvider', { providerId: 'x', kind: 'state', name: 'X' }))
      .thenRefuses('PLATFORM.UNKNOWN_STATE');
    spec
      .given([])
      .when(cmd('RegisterProvider', { providerId: 'x', kind: 'nhri', name: 'X', state: 'XXX' }))
      .thenRefuses('PLATFORM.UNKNOWN_STATE');
  });
  it('refuses an id registered already, a malformed id, an unknown kind and an empty name', () => {
    spec
      .given([norway])
      .when(cmd('RegisterProvider', { providerId: 'prov:nor', kind: 'ngo', name: 'Other' }))
      .thenRefuses('PROVIDER.ALREADY_REGISTERED');
    spec
      .given([])
      .when(cmd('RegisterProvider', { providerId: 'has space', kind: 'ngo', name: 'Other' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'providerId' });
    spec
      .given([])
      .when(cmd('RegisterProvider', { providerId: 'p', kind: 'company' as never, name: 'Other' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'kind' });
    spec
      .given([])
      .when(cmd('RegisterProvider', { providerId: 'p', kind: 'ngo', name: '' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND', { field: 'name' });
  });
  it('retires a registered provider once, with a reason', () => {
    spec
      .given([norway])
      .when(cmd('RetireProvider', { providerId: 'prov:nor', reason: 'Programme ended' }))
      .then([retired]);
    spec
      .given([norway, retired])
      .when(cmd('RetireProvider', { providerId: 'prov:nor', reason: 'x' }))
      .thenRefuses('PROVIDER.RETIRED');
    spec
      .given([])
      .when(cmd('RetireProvider', { providerId: 'prov:x', reason: 'x' }))
      .thenRefuses('PROVIDER.NOT_REGISTERED');
    spec
      .given([norway])
      .when(cmd('RetireProvider', { providerId: 'prov:nor', reason: ' ' }))
      .thenRefuses('PLATFORM.INVALID_COMMAND');
  });
  it('offers as registered, whatever a token claims; never as one not registered or retired', () => {
    expect(offeringAs(state([norway]), 'prov:nor')).toEqual({
      kind: 'state',
      id: 'prov:nor',
      name: 'Norway',
      state: 'NOR',
    });
    expect(() => offeringAs(state([]), 'prov:nor')).toThrow(
      expect.objectContaining({ code: 'PROVIDER.NOT_REGISTERED' }),
    );
    expect(() => offeringAs(state([norway, retired]), 'prov:nor')).toThrow(
      expect.objectContaining({ code: 'PROVIDER.RETIRED' }),
    );
  });
});
