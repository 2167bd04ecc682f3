import { randomUUID } from 'node:crypto';
import type { Clock, CommandContext } from '@keystone/event-store';
import type { Principal } from '../principal';

/**
 * The context of a command coming over HTTP: the caller, the correlation id (X-Correlation-Id, or a
 * new one), the business date it takes effect (the body's occurredAt, or now), and now.
 */
export function commandContext(
  principal: Principal,
  clock: Clock,
  request: { headers: Record<string, string | string[] | undefined> },
  occurredAt?: string,
): CommandContext {
  const now = clock.now().toISOString();
  const header = request.headers['x-correlation-id'];
  const correlationId =
    typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : randomUUID();
  return {
    actor: principal.subject,
    role: principal.role,
    correlationId,
    causationId: null,
    occurredAt: occurredAt ? new Date(occurredAt).toISOString() : now,
    now,
  };
}

/** DTOs are class instances; the log stores plain JSON (and refuses anything else). */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
