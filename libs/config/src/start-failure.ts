import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { EventStoreError, EventStoreUnavailable } from '@keystone/event-store';
import { ConfigError, type KeystoneConfig } from './keystone-config';

/**
 * Why a process could not start, in one line a person can act on: what failed, where, and how to
 * fix it. The API and the worker print it on stderr and exit 2 (a bad start), never a stack trace.
 */
export function describeStartFailure(
  app: 'api' | 'worker',
  error: unknown,
  config?: KeystoneConfig,
): string {
  const oneLine = (text: string) => text.replace(/\s*\n\s*-?\s*/g, '; ').trim();
  if (error instanceof ConfigError)
    return `keystone ${app} did not start: the configuration is not valid: ${error.problems.join('; ')}`;
  const code = (error as { code?: unknown } | null)?.code;
  const where = config ? `${config.http.host}:${config.http.port}` : 'its address';
  if (code === 'EADDRINUSE')
    return `keystone ${app} did not start: ${where} is already in use by another process: stop it, or set PORT (and HOST) to a free address`;
  if (code === 'EACCES' && (error as { syscall?: string }).syscall === 'listen')
    return `keystone ${app} did not start: no permission to listen on ${where}: use a port above 1023, or set HOST to an address of this machine`;
  if (code === 'EADDRNOTAVAIL')
    return `keystone ${app} did not start: ${where} is not an address of this machine: set HOST`;
  const store = config?.store;
  if (error instanceof EventStoreUnavailable)
    return `keystone ${app} did not start: ${oneLine(error.message)}: check ${store?.kind === 'kurrentdb' ? 'KEYSTONE_KURRENTDB_URL and KEYSTONE_POSTGRES_URL' : 'KEYSTONE_POSTGRES_URL'} and that the server runs`;
  if (error instanceof EventStoreError)
    return `keystone ${app} did not start: ${oneLine(error.message)}`;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const path = store?.kind === 'sqlite' ? store.path : 'the SQLite file';
    return `keystone ${app} did not start: cannot open the log at ${path} (${oneLine((error as Error).message)}): check KEYSTONE_SQLITE_PATH, that its folder exists and Keystone may write there`;
  }
  const file = error as { syscall?: string; path?: string };
  if (typeof code === 'string' && file.syscall && file.path)
    return `keystone ${app} did not start: cannot ${file.syscall} ${file.path} (${code}): check that its folder exists and Keystone may write there (KEYSTONE_SQLITE_PATH, and the key and secret files kept beside it)`;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return `keystone ${app} did not start: ${oneLine((error as Error).message)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `keystone ${app} did not start: ${oneLine(message)}`;
}

/**
 * Nest's logger for the API and the worker, less two things: Nest says "successfully started" when
 * the application is initialised, before the port is listened on (a port already taken then fails
 * after it), so that line is left out (Keystone says "API on …" once the port listens); and a
 * failed start, which Nest would print as a stack trace, is said once, in one line, by main.
 */
export class StartupLogger extends ConsoleLogger {
  constructor(levels: LogLevel[] = ['log', 'warn', 'error']) {
    super();
    this.setLogLevels(levels);
  }

  override log(message: unknown, context?: string): void {
    if (context === 'NestApplication') return;
    super.log(message, context);
  }

  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.includes('NestApplication') || rest.includes('ExceptionHandler')) return;
    super.error(message, ...(rest as [string?, string?]));
  }
}
