import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { PeopleService } from '@keystone/people';
import { systemClock } from '@keystone/event-store';
import { assertBuilt, keystone } from './cli-harness';

/** `keystone users create-admin`: the first administrator, the password read from standard input. */
describe('keystone users create-admin', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'keystone-users-'));
    env = {
      KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
      KEYSTONE_KEY_ENCRYPTION_KEY_FILE: join(dir, 'kek'),
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes an administrator who can then sign in, and refuses a short password', async () => {
    const short = keystone(
      ['users', 'create-admin', '--email', 'ada@example.org', '--name', 'Ada'],
      env,
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('A password has at least 12 characters');

    const made = keystone(
      ['users', 'create-admin', '--email', 'Ada@Example.org', '--name', 'Ada Lovelace', '--json'],
      env,
      'the analytical engine weaves\n',
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ email: 'Ada@Example.org' });

    const again = keystone(
      ['users', 'create-admin', '--email', 'ada@example.org', '--name', 'Ada'],
      env,
      'the analytical engine weaves\n',
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ada@example.org already has an account');

    const store = new SqliteEventStore({ path: env.KEYSTONE_SQLITE_PATH });
    try {
      const people = new PeopleService(store, systemClock);
      const session = await people.signIn('ada@example.org', 'the analytical engine weaves');
      expect((await people.principalOf(session.token)).role).toBe('admin');
      expect(await people.anyAdministrator()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('says what it needs', () => {
    const bare = keystone(['users', 'create-admin'], env, '');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--email is required');
  });
});
