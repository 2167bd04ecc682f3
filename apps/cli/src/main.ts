import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@keystone/config';
import { openEventStore, type EventStore } from '@keystone/event-store';
import { verifyLog } from '@keystone/audit';

/** `keystone <command>`: exit 0 ok, 1 a finding, 2 a usage or connection error (one-line reason). */
const USAGE = `usage: keystone <command> [options]
  status                      the event log's adapter, reachability and last position
  verify [--stream S]         recompute hash chains and check versions and positions run on
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
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(process.env);
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
