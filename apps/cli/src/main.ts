import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type KeystoneConfig } from '@keystone/config';
import { type EventStore } from '@keystone/event-store';
import { openEventStore } from '@keystone/event-store/adapters';
import { UsageError, type Command } from './cli-kit';
import { demo } from './commands/demo.command';
import {
  checkpoint,
  exportEvidence,
  publicKey,
  verifyEvidence,
} from './commands/evidence.commands';
import { status, verify } from './commands/log.commands';
import { rebuild, replay } from './commands/projections.commands';
import { impact, panel } from './commands/reports.commands';
import { token } from './commands/token.command';
import { users } from './commands/users.command';

/** `keystone <command>`: exit 0 ok, 1 a finding, 2 a usage or connection error (one-line reason). */
const USAGE = `usage: keystone <command> [options]
  status                              the event log's adapter, reachability and last position
  verify [--stream S] [--against CHECKPOINT (--public-key PEM | --keyring FILE)] [--threads N]
                                      recompute the stream and log chains; check versions, positions,
                                      stream heads, and that the log extends each checkpoint (read-only;
                                      a long log in parts at once, a thread per core unless --threads)
  checkpoint [--out FILE]             sign the log's position and log hash (publish FILE elsewhere)
  public-key [--out FILE]             the evidence key's public half and fingerprint, for auditors to pin
  rebuild <projection|all>            rebuild read models into fresh tables, then swap them in
  replay (--to <time|position> | --to-effective <time>) --out FILE
                                      the read models as of that point, in a separate SQLite file:
                                      as recorded by then (--to), or as taken effect by then
                                      (--to-effective: business dates, acts keyed in late included)
  export (--case ID | --from T --to T) --out FILE
                                      a signed evidence bundle (events, hashes, chain heads, Ed25519);
                                      --from/--to select by recorded time
  verify-bundle FILE (--public-key PEM | --keyring FILE)
                                      check a bundle offline, without Keystone's store; only a
                                      trusted signer passes
  panel --year Y [--as-of T] [--as-of-effective T] [--format html|csv|json] [--out FILE]
                                      the item 10 panel, straight from the log; --as-of: as
                                      recorded by T, --as-of-effective: as taken effect by T
  impact [--year Y] [--region R] [--as-of T] [--as-of-effective T]
                                      time to each step, offers, reports, recommendation moves
  demo [--year Y]                     load a synthetic year of cases (marked synthetic)
  token --role R [--region G | --state S | --provider P --provider-kind K [--provider-state S]]
                                      mint a local bearer token (local auth mode only)
  users create-admin --email E --name N [--language en|fr|es]
                                      the first administrator of the web app (password on stdin)
options: --json                       machine-readable output
         --create                     open a log that does not exist yet (demo always may)`;

const COMMANDS: Record<string, Command> = {
  status,
  verify,
  rebuild,
  replay,
  export: exportEvidence,
  'verify-bundle': verifyEvidence,
  checkpoint,
  'public-key': publicKey,
  panel,
  impact,
  demo,
  token,
  users,
};

const STRING_OPTIONS = [
  'stream',
  'role',
  'region',
  'state',
  'provider',
  'provider-kind',
  'provider-state',
  'provider-name',
  'subject',
  'expires',
  'to',
  'out',
  'case',
  'from',
  'public-key',
  'keyring',
  'against',
  'year',
  'as-of',
  'as-of-effective',
  'to-effective',
  'format',
  'email',
  'name',
  'language',
  'threads',
];

/** Commands that may start a new log: the demo, and the first administrator (before any start). */
const MAY_CREATE = new Set(['demo', 'users']);

/** Commands that only read the log: opened read-only, so they change nothing, ever. */
const READ_ONLY = new Set(['status', 'verify', 'export', 'panel', 'impact']);

/**
 * The auditor's tools read an existing log: a SQLite path where no log is is an error naming the path
 * (exit 2), never a new empty log that then verifies clean. Only `demo`, `users`, or `--create`, makes one.
 */
async function openExisting(
  config: KeystoneConfig,
  command: string,
  create: boolean,
): Promise<EventStore> {
  const { store } = config;
  if (store.kind === 'sqlite' && store.path !== ':memory:' && !existsSync(store.path)) {
    if (!MAY_CREATE.has(command) && !create)
      throw new UsageError(
        `no Keystone log at ${resolve(store.path)}: set KEYSTONE_SQLITE_PATH to the log's file (or run from the folder that holds ./data), or pass --create to start a new one`,
      );
  }
  // --create asks for a new log to be made, which is a write.
  return openEventStore(store, { readOnly: READ_ONLY.has(command) && !create });
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      create: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
    },
  });
  const [name] = positionals;
  if (values.help || !name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n${USAGE}`);
  const config = loadConfig(process.env);
  let opened: EventStore | undefined;
  try {
    return await command({
      config,
      positionals,
      values,
      json: values.json === true,
      store: async () => (opened ??= await openExisting(config, name, values.create === true)),
    });
  } finally {
    await opened?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof UsageError;
    console.error(
      known ? error.message : `keystone: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
