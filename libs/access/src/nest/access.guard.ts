import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
} from '@nestjs/common';
import { parseCookie } from 'cookie';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import { enforce, roleDecision, type RouteRule } from '../policy';
import { accessError, type Principal } from '../principal';
import { TokenVerifier } from '../tokens';

const ACTION = 'keystone:action';
const PUBLIC = 'keystone:public';

/**
 * Declares a route's rule, taken from its context's policy; the guard checks the caller's role for
 * it. Scope (region, State, ownership) is the policy's to check on the case itself.
 */
export const Access = (rule: RouteRule) =>
  applyDecorators(SetMetadata(ACTION, rule), ApiExtension('x-keystone-roles', rule.roles));
/** A route anyone may call, signed in or not (x-keystone-roles: anyone). */
export const Public = () =>
  applyDecorators(SetMetadata(PUBLIC, true), ApiExtension('x-keystone-roles', ['anyone']));

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without @Access');
    return principal;
  },
);

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** The browser's sign-in session cookie (HttpOnly, SameSite=Strict; libs/people issues it). */
export const SESSION_COOKIE = 'keystone_session';
/**
 * The header the web app sends with every request. A cookie-signed request that changes something
 * must carry it: a page on another site cannot add a custom header without a CORS preflight, which
 * Keystone never grants (OWASP's custom-request-header defence, beside SameSite=Strict).
 */
export const CSRF_HEADER = 'x-keystone-client';

/** Who a session cookie belongs to, now (a revoked person's session no longer answers). */
export interface SessionResolver {
  principalOf(sessionToken: string): Promise<Principal>;
}
export const SESSION_RESOLVER = Symbol('SESSION_RESOLVER');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token a request's Cookie header carries, if any. */
export function sessionTokenOf(headers: Record<string, string | string[] | undefined>) {
  const header = headers.cookie;
  if (typeof header !== 'string') return undefined;
  return parseCookie(header)[SESSION_COOKIE] || undefined;
}

/**
 * Who sent a request: a bearer token (scripts, OIDC clients) wins; otherwise the browser's session
 * cookie. The guard asks, and the idempotency middleware, which must know the caller of a keyed
 * request before routing (a local token is verified once per process, see TokenVerifier).
 */
@Injectable()
export class RequestPrincipals {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Optional() @Inject(SESSION_RESOLVER) private readonly sessions?: SessionResolver,
  ) {}

  async of(request: {
    method: string;
    headers: Record<string, string | string[] | undefined>;
  }): Promise<Principal> {
    const session = sessionTokenOf(request.headers);
    const authorization = request.headers.authorization;
    if (authorization || !session || !this.sessions)
      return this.verifier.principalOf(
        typeof authorization === 'string' ? authorization : undefined,
      );
    if (!SAFE_METHODS.has(request.method) && !request.headers[CSRF_HEADER])
      throw accessError.csrf();
    return this.sessions.principalOf(session);
  }
}

/** Every route is guarded: a route that declares nothing is refused, never open by mistake. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: RequestPrincipals,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const rule = this.reflector.getAllAndOverride<RouteRule>(ACTION, targets);
    const request = context.switchToHttp().getRequest<{
      method: string;
      headers: Record<string, string | undefined>;
      principal?: Principal;
    }>();
    const principal = await this.principals.of(request);
    if (!rule)
      throw new Error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no @Access`,
      );
    enforce(roleDecision(principal, rule));
    request.principal = principal;
    return true;
  }
}

/** The caller and the HTTP exchange a command comes from, in one parameter. */
export interface HttpCall {
  readonly principal: Principal;
  readonly request: { headers: Record<string, string | string[] | undefined> };
  readonly ifMatch: string | undefined;
  setHeader(name: string, value: string): void;
}

export const Call = createParamDecorator((_: unknown, context: ExecutionContext): HttpCall => {
  const http = context.switchToHttp();
  const request = http.getRequest<{
    principal?: Principal;
    headers: Record<string, string | string[] | undefined>;
  }>();
  const response = http.getResponse<{ setHeader(name: string, value: string): void }>();
  if (!request.principal) throw new Error('Call used on a route without @Access');
  const ifMatch = request.headers['if-match'];
  return {
    principal: request.principal,
    request,
    ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
    setHeader: (name, value) => response.setHeader(name, value),
  };
});
