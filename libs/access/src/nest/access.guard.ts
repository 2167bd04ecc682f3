import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import { enforce, roleDecision, type RouteRule } from '../policy';
import type { Principal } from '../principal';
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

/** Every route is guarded: a route that declares nothing is refused, never open by mistake. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const rule = this.reflector.getAllAndOverride<RouteRule>(ACTION, targets);
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const principal = await this.verifier.principalOf(request.headers.authorization);
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
