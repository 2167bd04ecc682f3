import { parseArgs } from 'node:util';
import { ROLES, signLocalToken } from '@keystone/access';
import { ConfigError, loadConfig, tokenSettings, type KeystoneConfig } from '@keystone/config';
import { openEventStore, type EventStore } from '@keystone/event-store';
import { verifyLog } from '@keystone/audit';
import { PROJECTIONS, readModelDatabaseFor, rebuildProjection } from '@keystone/projections';

/** `keystone <command>`: exit 0 ok, 1 a finding, 2 a usage or connection error (one-line reason). */
const USAGE = `usage: keystone <command> [options]
  status                      the event log's adapter, reachability and last position
  verify [--stream S]         recompute hash chains and check versions and positions run on
  rebuild <projection|all>    rebuild read models from position 0 into fresh tables, then swap them in
  token --role R [--region G | --state S | --provider P --provider-kind K [--provider-state S]] [--subject ID]
                              mint a local bearer token (local auth mode only)
options: --json               machine-readable output`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      stream: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      role: { type: 'string' },
      region: { type: 'string' },
      state: { type: 'string' },
      provider: { type: 'string' },
      'provider-kind': { type: 'string' },
      'provider-state': { type: 'string' },
      'provider-name': { type: 'string' },
      subject: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(process.env);
  if (command === 'token') return mintToken(config, values);
  const store = await openEventStore(config.store);
  try {
    switch (command) {
      case 'status':
        return print(
          values.json,
          await store.health(),
          (h) =>
            `${h.adapter}: ${h.reachable ? 'reachable' : 'unreachable'}, last position ${h.lastPosition}`,
        );
      case 'verify':
        return await verify(store, values.json, values.stream);
      case 'rebuild':
        return await rebuild(store, positionals[1], values.json);
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } finally {
    await store.close();
  }
}

async function verify(
  store: EventStore,
  json: boolean,
  streamId: string | undefined,
): Promise<number> {
  const started = Date.now();
  const result = await verifyLog(store, {
    streamId,
    onProgress: json
      ? undefined
      : (checked, position) =>
          process.stderr.write(`\rverify: ${checked} events checked, at position ${position}`),
  });
  if (!json) process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  print(json, { ...result, seconds }, (r) =>
    [
      `verify: ${r.eventsChecked} events in ${r.streamsChecked} streams, up to position ${r.lastPosition}, in ${seconds.toFixed(1)} s`,
      ...r.findings.map(
        (f) =>
          `  ${f.problem} in ${f.streamId} v${f.streamVersion} at position ${f.globalPosition}: expected ${f.expected}, found ${f.found}`,
      ),
      r.findings.length === 0
        ? 'verify: no break found'
        : `verify: ${r.findings.length} finding(s)`,
    ].join('\n'),
  );
  return result.findings.length === 0 ? 0 : 1;
}

async function rebuild(
  store: EventStore,
  which: string | undefined,
  json: boolean,
): Promise<number> {
  const names = PROJECTIONS.map((p) => p.name);
  if (!which || (which !== 'all' && !names.includes(which)))
    throw new UsageError(`rebuild needs a projection (${names.join(', ')}) or all`);
  const { db, close } = readModelDatabaseFor(store);
  try {
    const results = [];
    for (const projection of PROJECTIONS.filter((p) => which === 'all' || p.name === which)) {
      const started = Date.now();
      const position = await rebuildProjection(db, store, projection, {
        onProgress: json
          ? undefined
          : ({ position: at, target, streams }) =>
              process.stderr.write(
                streams !== undefined
                  ? `\rrebuild ${projection.name}: folding streams up to position ${target}: ${streams} done`
                  : `\rrebuild ${projection.name}: ${bar(at, target)} ${at}/${target} (${rate(at, started)} events/s)`,
              ),
      });
      if (!json) process.stderr.write('\n');
      results.push({
        projection: projection.name,
        position,
        seconds: (Date.now() - started) / 1000,
      });
    }
    return print(json, results, (r) =>
      r
        .map(
          (x) =>
            `rebuilt ${x.projection} up to position ${x.position} in ${x.seconds.toFixed(1)} s`,
        )
        .join('\n'),
    );
  } finally {
    close();
  }
}

function bar(at: number, target: number, width = 30): string {
  const done = target === 0 ? width : Math.round((at / target) * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}]`;
}

const rate = (events: number, since: number) =>
  Math.round(events / Math.max((Date.now() - since) / 1000, 0.001));

async function mintToken(
  config: KeystoneConfig,
  values: Record<string, string | boolean | undefined>,
): Promise<number> {
  const auth = tokenSettings(config.auth);
  if (auth.mode !== 'local')
    throw new UsageError(
      'keystone token mints local tokens only; in oidc mode tokens come from the issuer',
    );
  if (typeof values.role !== 'string')
    throw new UsageError(`token needs --role (one of ${ROLES.join(', ')})\n${USAGE}`);
  const claims = {
    sub:
      typeof values.subject === 'string'
        ? values.subject
        : `${values.role}:${values.region ?? values.state ?? values.provider ?? 'local'}`,
    role: values.role,
    region: values.region,
    state: values.state,
    provider: values.provider,
    provider_kind: values['provider-kind'],
    provider_state: values['provider-state'],
    provider_name: values['provider-name'],
  };
  try {
    console.log(await signLocalToken(auth, claims, String(values.expires)));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return 0;
}

function print<T>(json: boolean, value: T, text: (value: T) => string): number {
  console.log(json ? JSON.stringify(value, null, 2) : text(value));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason =
      error instanceof ConfigError || error instanceof UsageError
        ? error.message
        : `keystone: ${error instanceof Error ? error.message : String(error)}`;
    console.error(reason);
    process.exit(2);
  },
);
