import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PROVIDER_KINDS, type ProviderKind } from '@keystone/reference-data';
import { GRANTABLE_ROLES, type GrantableRole } from '../domain/person.decider';
import { LANGUAGES } from '../application/people.service';

export class SignInDto {
  @ApiProperty({ example: 'officer@ohchr.example' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  password!: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token of the invitation link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @ApiProperty({ format: 'password', minLength: 12 })
  @IsString()
  @MaxLength(1000)
  password!: string;
}

export class ProviderScopeDto {
  @ApiProperty({ example: 'provider-ngo-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;

  @ApiProperty({ enum: PROVIDER_KINDS })
  @IsIn(PROVIDER_KINDS)
  kind!: ProviderKind;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiPropertyOptional({ description: 'ISO3 of the providing State, when kind is state' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  state?: string;
}

/** A role and its scope: a region for a committee member, a State for a focal point, a provider. */
export class RoleDto {
  @ApiProperty({ enum: GRANTABLE_ROLES })
  @IsIn(GRANTABLE_ROLES)
  role!: GrantableRole;

  @ApiPropertyOptional({ example: 'african', description: "A committee member's regional group" })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  region?: string;

  @ApiPropertyOptional({ example: 'MWI', description: "A focal point's State (ISO3)" })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  state?: string;

  @ApiPropertyOptional({ type: ProviderScopeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderScopeDto)
  provider?: ProviderScopeDto;
}

export class InvitePersonDto extends RoleDto {
  @ApiProperty({ example: 'focal.point@mwi.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ enum: LANGUAGES, description: 'The language of their pages and e-mails' })
  @IsIn(LANGUAGES)
  language!: (typeof LANGUAGES)[number];
}

export class RevokeAccessDto {
  @ApiProperty({ example: 'Left the mission' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ProviderScopeView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) kind!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() state?: string;
}

export class PersonView {
  @ApiProperty() personId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: LANGUAGES }) language!: string;
  @ApiProperty({ enum: GRANTABLE_ROLES, nullable: true }) role!: string | null;
  @ApiPropertyOptional() region?: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional({ type: ProviderScopeView }) provider?: ProviderScopeView;
  @ApiProperty({ enum: ['invited', 'active', 'revoked'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) invitationExpiresAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class InvitationView {
  @ApiProperty() personId!: string;
  @ApiProperty({
    example: '/#/invitation/Qm9…',
    description: 'The one-time link, relative to the web app: give it to the person',
  })
  invitationPath!: string;
  @ApiProperty() expiresAt!: string;
}

export class SessionView {
  @ApiProperty({ type: PersonView }) person!: PersonView;
  @ApiProperty() expiresAt!: string;
}

export class CurrentSessionView {
  @ApiProperty({ type: PersonView, nullable: true }) person!: PersonView | null;
}

export class DirectoryEntryView {
  @ApiProperty() personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: GRANTABLE_ROLES, nullable: true }) role!: string | null;
}

export class SignInMethodsView {
  @ApiProperty({ description: 'E-mail and password (accounts made by invitation)' })
  password!: boolean;
  @ApiProperty({ description: 'The deployment’s identity provider (OpenID Connect)' })
  oidc!: boolean;
}
