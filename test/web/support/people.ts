import { PeopleService, type NewPerson } from '@keystone/people';
import type { ApiHarness } from '../../e2e/support/api-harness';

export const PASSWORD = 'a long and memorable passphrase';

/**
 * The people of a browser test, made as the administrator's invitations would make them: the
 * first administrator, then each account with its password chosen. Call once the API is up.
 */
export async function peopleOf(h: ApiHarness, admin: { email: string; name: string }) {
  const people = new PeopleService(h.eventStore(), h.clock);
  const context = () => {
    const now = h.clock.now().toISOString();
    return { actor: 'test-setup', role: 'admin', correlationId: 'setup', occurredAt: now, now };
  };
  await people.createAdmin({ ...admin, language: 'en' }, PASSWORD, context());
  return {
    people,
    /** An account made as the administrator's invitation would make it, its password chosen. */
    async account(person: NewPerson): Promise<void> {
      const { invitationToken } = await people.invite(person, context());
      await people.acceptInvitation(invitationToken, PASSWORD);
    },
  };
}
