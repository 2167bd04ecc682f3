import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import {
  Access,
  accessError,
  Call,
  commandContext,
  CSRF_HEADER,
  Public,
  SESSION_COOKIE,
  sessionTokenOf,
  type HttpCall,
} from '@keystone/access';
import { CLOCK, DomainError, type Clock } from '@keystone/event-store';
import { PEOPLE_ROUTES } from '../application/people.policy';
import { OIDC_SIGN_IN } from '../application/tokens';
import { oidcError, type OidcSignIn, type PendingSignIn } from '../application/oidc-sign-in';
import { PeopleService, SESSION_HOURS, type Person } from '../application/people.service';
import type { RoleScope } from '../domain/person.decider';
import {
  AcceptInvitationDto,
  CurrentSessionView,
  DirectoryEntryView,
  InvitationView,
  InvitePersonDto,
  PersonView,
  RevokeAccessDto,
  RoleDto,
  SessionView,
  SignInDto,
  SignInMethodsView,
} from './people.dtos';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The session cookie: HttpOnly, SameSite=Strict, Secure everywhere but on this machine. */
function sessionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure || !LOCAL_HOSTS.has(request.hostname),
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

function requireClientHeader(request: Request): void {
  if (!request.headers[CSRF_HEADER]) throw accessError.csrf();
}

const roleScope = (dto: RoleDto): RoleScope => ({
  ...(dto.region !== undefined && { region: dto.region }),
  ...(dto.state !== undefined && { state: dto.state }),
  ...(dto.provider !== undefined && { provider: { ...dto.provider } }),
});

export function personView(person: Person): PersonView {
  return {
    personId: person.personId,
    email: person.email,
    name: person.name,
    language: person.language,
    role: person.role,
    ...person.scope,
    status: person.status,
    invitationExpiresAt: person.invitationExpiresAt,
    createdAt: person.createdAt,
  };
}

const ATTEMPT_COOKIE = 'keystone_oidc';
const ATTEMPT_MINUTES = 10;

/** Signing in and out of the web app, and accepting an invitation. */
@ApiTags('sign-in')
@Controller('auth')
export class AuthHttpController {
  constructor(
    private readonly people: PeopleService,
    @Inject(OIDC_SIGN_IN) private readonly oidc: OidcSignIn | null,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('methods')
  @Public()
  @ApiOperation({
    summary: 'How people may sign in here: password, and the identity provider if set up',
  })
  @ApiOkResponse({ type: SignInMethodsView })
  methods(): SignInMethodsView {
    return { password: true, oidc: this.oidc !== null };
  }

  @Get('oidc')
  @Public()
  @ApiOperation({
    summary:
      'Sign in through the identity provider: redirects there (authorization code with PKCE)',
  })
  @ApiFoundResponse({ description: 'To the identity provider' })
  async oidcStart(@Req() request: Request, @Res() response: Response) {
    if (!this.oidc) throw oidcError.off();
    const { url, pending } = await this.oidc.start();
    const expiresAt = new Date(this.clock.now().getTime() + ATTEMPT_MINUTES * 60_000).toISOString();
    const attempt = await this.people.accounts.keepAttempt(pending, expiresAt);
    // Lax, not Strict: the identity provider's redirect back is a navigation from another site.
    response.setHeader(
      'Set-Cookie',
      stringifySetCookie({
        name: ATTEMPT_COOKIE,
        value: attempt,
        httpOnly: true,
        sameSite: 'lax',
        secure: request.secure || !LOCAL_HOSTS.has(request.hostname),
        path: '/auth/oidc',
        maxAge: ATTEMPT_MINUTES * 60,
      }),
    );
    response.redirect(302, url);
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({
    summary: 'Where the identity provider sends people back: the code exchanged, a session started',
  })
  @ApiFoundResponse({ description: 'To the web app, signed in' })
  async oidcCallback(@Req() request: Request, @Res() response: Response) {
    if (!this.oidc) throw oidcError.off();
    const attempt = parseCookie(request.headers.cookie ?? '')[ATTEMPT_COOKIE];
    const pending = attempt
      ? await this.people.accounts.takeAttempt<PendingSignIn>(
          attempt,
          this.clock.now().toISOString(),
        )
      : null;
    if (!pending)
      throw oidcError.failed(
        'no sign-in was started from this browser, or it took over 10 minutes',
      );
    const callback = new URL(request.originalUrl, this.oidc.redirectUri);
    let session: { token: string };
    try {
      session = await this.people.startClaimsSession(await this.oidc.finish(callback, pending));
    } catch (error) {
      // A person, not a script, is at the other end: back to the sign-in page, which says why.
      if (!(error instanceof DomainError)) throw error;
      response.redirect(302, `/?signInError=${encodeURIComponent(error.code)}`);
      return;
    }
    response.setHeader('Set-Cookie', [
      sessionCookie(request, session.token, SESSION_HOURS * 3600),
      stringifySetCookie({ name: ATTEMPT_COOKIE, value: '', path: '/auth/oidc', maxAge: 0 }),
    ]);
    response.redirect(302, '/');
  }

  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiHeader({
    name: 'X-Keystone-Client',
    required: true,
    description: 'Any value; sent by the web app',
  })
  @ApiOperation({ summary: 'Sign in with e-mail and password: sets the HttpOnly session cookie' })
  @ApiOkResponse({ type: SessionView })
  async signIn(
    @Body() dto: SignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    requireClientHeader(request);
    const session = await this.people.signIn(dto.email, dto.password);
    response.setHeader('Set-Cookie', sessionCookie(request, session.token, SESSION_HOURS * 3600));
    response.setHeader('Cache-Control', 'no-store');
    const person = await this.people.person(session.personId);
    return { person: personView(person!), expiresAt: session.expiresAt };
  }

  @Get('session')
  @Public()
  @ApiOperation({
    summary: 'The browser’s current session: who is signed in, or person null (never a 401)',
  })
  @ApiOkResponse({ type: CurrentSessionView })
  async current(@Req() request: Request): Promise<CurrentSessionView> {
    const token = sessionTokenOf(request.headers);
    if (!token) return { person: null };
    try {
      const person = await this.people.sessionPerson(token);
      return { person: person ? personView(person) : null };
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'unauthenticated') return { person: null };
      throw error;
    }
  }

  @Delete('session')
  @Public()
  @HttpCode(204)
  @ApiHeader({
    name: 'X-Keystone-Client',
    required: true,
    description: 'Any value; sent by the web app',
  })
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookie' })
  @ApiNoContentResponse()
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireClientHeader(request);
    const token = sessionTokenOf(request.headers);
    if (token) await this.people.signOut(token);
    response.setHeader('Set-Cookie', sessionCookie(request, '', 0));
  }

  @Get('me')
  @Access(PEOPLE_ROUTES.ReadMe)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who is signed in: name, language, role and scope' })
  @ApiOkResponse({ type: PersonView })
  async me(@Call() call: HttpCall): Promise<PersonView> {
    const person = await this.people.person(call.principal.subject);
    if (person) return personView(person);
    // A bearer token's subject is not an account: answer with what the token says.
    const { subject, role, ...scope } = call.principal;
    return {
      personId: subject,
      email: '',
      name: subject,
      language: 'en',
      role,
      ...(scope as RoleScope),
      status: 'active',
      invitationExpiresAt: null,
      createdAt: '',
    };
  }

  @Post('invitation')
  @Public()
  @HttpCode(204)
  @ApiHeader({
    name: 'X-Keystone-Client',
    required: true,
    description: 'Any value; sent by the web app',
  })
  @ApiOperation({ summary: 'Accept an invitation: choose a password (12 characters or more)' })
  @ApiNoContentResponse()
  async acceptInvitation(@Body() dto: AcceptInvitationDto, @Req() request: Request) {
    requireClientHeader(request);
    await this.people.acceptInvitation(dto.token, dto.password);
  }
}

/** Administrators invite people with a role and scope, change roles, and revoke access. */
@ApiTags('people')
@Controller('people')
export class PeopleHttpController {
  constructor(
    private readonly people: PeopleService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Access(PEOPLE_ROUTES.InvitePerson)
  @ApiOperation({
    summary: 'Invite a person with a role and scope → their one-time invitation link',
  })
  @ApiCreatedResponse({ type: InvitationView })
  async invite(@Body() dto: InvitePersonDto, @Call() call: HttpCall): Promise<InvitationView> {
    const { personId, invitationToken, expiresAt } = await this.people.invite(
      {
        email: dto.email,
        name: dto.name,
        language: dto.language,
        role: dto.role,
        scope: roleScope(dto),
      },
      commandContext(call.principal, this.clock, call.request),
    );
    return { personId, invitationPath: `/#/invitation/${invitationToken}`, expiresAt };
  }

  @Get()
  @Access(PEOPLE_ROUTES.ReadPeople)
  @ApiOperation({ summary: 'Everyone who may sign in, with their role, scope and status' })
  @ApiOkResponse({ type: [PersonView] })
  async list(): Promise<PersonView[]> {
    return (await this.people.people()).map(personView);
  }

  @Get('directory')
  @Access(PEOPLE_ROUTES.ReadDirectory)
  @ApiOperation({
    summary: 'The names of everyone who may sign in (no e-mail), to say who did what in a history',
  })
  @ApiOkResponse({ type: [DirectoryEntryView] })
  async directory(): Promise<DirectoryEntryView[]> {
    return (await this.people.people()).map((p) => ({
      personId: p.personId,
      name: p.name,
      role: p.role,
    }));
  }

  @Post(':personId/roles')
  @Access(PEOPLE_ROUTES.GrantRole)
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a person a role and scope (replacing the one they hold)' })
  @ApiOkResponse({ type: PersonView })
  async grant(
    @Param('personId') personId: string,
    @Body() dto: RoleDto,
    @Call() call: HttpCall,
  ): Promise<PersonView> {
    await this.people.grant(
      personId,
      dto.role,
      roleScope(dto),
      commandContext(call.principal, this.clock, call.request),
    );
    return personView((await this.people.person(personId))!);
  }

  @Post(':personId/revocation')
  @Access(PEOPLE_ROUTES.RevokeAccess)
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a person’s access: their sessions end at once' })
  @ApiOkResponse({ type: PersonView })
  async revoke(
    @Param('personId') personId: string,
    @Body() dto: RevokeAccessDto,
    @Call() call: HttpCall,
  ): Promise<PersonView> {
    await this.people.revoke(
      personId,
      dto.reason,
      commandContext(call.principal, this.clock, call.request),
    );
    return personView((await this.people.person(personId))!);
  }
}
