import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { systemClock } from '@keystone/event-store';
import { LANGUAGES, PeopleService } from '@keystone/people';
import { option, print, requiredOption, UsageError, type Command } from '../cli-kit';

/**
 * `keystone users create-admin --email E --name N [--language en|fr|es]`: the first administrator,
 * who then invites everyone else from the web app. The password is read from standard input (one
 * line; typed without echo on a terminal), never from an option that would stay in shell history.
 */
export const users: Command = async ({ positionals, values, json, store }) => {
  const action = positionals[1];
  if (action !== 'create-admin')
    throw new UsageError(
      'usage: keystone users create-admin --email E --name N [--language en|fr|es]',
    );
  const email = requiredOption(values, 'email', 'the administrator signs in with it');
  const name = requiredOption(values, 'name', 'shown to the people they invite');
  const language = option(values, 'language') ?? 'en';
  if (!(LANGUAGES as readonly string[]).includes(language))
    throw new UsageError(`--language must be one of ${LANGUAGES.join(', ')}, got "${language}"`);
  const password = await readPassword();
  const people = new PeopleService(await store(), systemClock);
  const now = new Date().toISOString();
  const { personId } = await people.createAdmin({ email, name, language }, password, {
    actor: 'keystone users create-admin',
    role: 'admin',
    correlationId: randomUUID(),
    occurredAt: now,
    now,
  });
  return print(
    json,
    { personId, email },
    () =>
      `administrator ${email.trim().toLowerCase()} created (${personId}); sign in at the web app`,
  );
};

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new UsageError('give the password on standard input (one line)');
    return line;
  }
  const prompt = createInterface({ input, output: process.stderr, terminal: true });
  process.stderr.write('password (12 characters or more): ');
  const muted = prompt as unknown as { _writeToOutput: (text: string) => void };
  muted._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => prompt.question('', resolve));
  prompt.close();
  process.stderr.write('\n');
  return line;
}
