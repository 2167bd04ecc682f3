import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access, Call, routeRules, type HttpCall, type Principal } from '@keystone/access';
import { InboxNotifier } from '../notifications';

/** The reactions' policy: notifications go to those who act (officers, a region's member, a focal point). */
export const NOTIFICATION_ROUTES = routeRules(
  { ReadNotifications: ['case-officer', 'committee-member', 'state-focal-point'] },
  () => 'read notifications',
);

/** Where a caller's notifications are addressed. */
export function addressOf(principal: Principal): string | null {
  switch (principal.role) {
    case 'committee-member':
      return `committee-member:${principal.region}`;
    case 'state-focal-point':
      return `state-focal-point:${principal.state}`;
    case 'case-officer':
      return 'case-officer';
    default:
      return null;
  }
}

export class NotificationsView {
  @ApiProperty({ nullable: true, type: String, description: 'The inbox the caller reads' })
  recipient!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  notifications!: Record<string, unknown>[];
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsHttpController {
  constructor(private readonly inbox: InboxNotifier) {}

  @Get()
  @Access(NOTIFICATION_ROUTES.ReadNotifications)
  @ApiOperation({
    summary:
      "The caller's notifications: reminders and news of its region, its State, or (officers) all cases",
  })
  @ApiOkResponse({ type: NotificationsView })
  async list(@Call() { principal }: HttpCall) {
    return {
      recipient: addressOf(principal),
      notifications: await this.inbox.inbox(addressOf(principal)!),
    };
  }
}
