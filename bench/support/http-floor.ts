/**
 * The HTTP benchmark's floor: the chosen stack at its thinnest, driven by the same load. A NestJS
 * app on express answering the same routes, each body checked by a ValidationPipe against a
 * class-validator DTO, and each command one better-sqlite3 transaction on a WAL file before it
 * answers (the event-store benchmark's bare one: read the stream's version, check it, insert a
 * progress report of a realistic size, move the stream's head). No auth, no decider, no hashes, no
 * read models, no middleware: what no Keystone command can be cheaper than here. Run by
 * bench/http.ts as a process of its own: `node … http-floor.ts <port> <file>`.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Param,
  Patch,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsArray, IsIn, IsObject, IsOptional, IsString } from 'class-validator';
import { bareSqlite } from '../event-store-peers';

const [port, file] = process.argv.slice(2);
const bare = bareSqlite(file);
const versions = new Map<string, number>();
async function append(streamId: string): Promise<number> {
  const next = (versions.get(streamId) ?? 0) + 1;
  await bare.append(streamId, 1, next - 1);
  versions.set(streamId, next);
  return next;
}

/** Every field the load sends, each checked as Keystone's DTOs check them (shape, not meaning). */
class CommandBody {
  @IsOptional() @IsString() state?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) themes?: string[];
  @IsOptional() @IsString() description?: string;
  @IsOptional() @IsString() supportSought?: string;
  @IsOptional() @IsArray() @IsObject({ each: true }) recommendations?: object[];
  @IsOptional() @IsString() occurredAt?: string;
  @IsOptional() @IsIn(['accepted', 'declined']) decision?: string;
  @IsOptional() @IsString() offered?: string;
  @IsOptional() @IsString() funding?: string;
  @IsOptional() @IsString() offerId?: string;
  @IsOptional() @IsString() expertId?: string;
  @IsOptional() @IsString() startDate?: string;
  @IsOptional() @IsString() endDate?: string;
  @IsOptional() @IsArray() @IsObject({ each: true }) progress?: object[];
}

@Controller('cases')
class FloorController {
  @Post()
  async request(@Body() _body: CommandBody) {
    const caseId = randomUUID();
    await append(`case-${caseId}`);
    return { caseId };
  }

  @Post(':caseId/offers')
  async offer(@Param('caseId') caseId: string, @Body() _body: CommandBody) {
    const offerId = randomUUID();
    await append(`case-${caseId}`);
    return { caseId, offerId };
  }

  @Post(':caseId/offers/:offerId/match')
  @HttpCode(200)
  async match(@Param('caseId') caseId: string, @Param('offerId') offerId: string) {
    await append(`case-${caseId}`);
    return { caseId, offerId };
  }

  @Post(':caseId/:command')
  @HttpCode(200)
  async command(@Param('caseId') caseId: string, @Body() _body: CommandBody) {
    return { caseId, streamVersion: await append(`case-${caseId}`) };
  }
}

/** What the load sets up before it runs (its provider, its experts) and waits for. */
@Controller()
class SetUpController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Post('providers')
  provider() {
    return {};
  }

  @Post('experts')
  expert() {
    return { expertId: randomUUID() };
  }

  @Patch('experts/:expertId/availability')
  availability() {
    return {};
  }
}

@Module({ controllers: [FloorController, SetUpController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(FloorModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  await app.listen(Number(port), '127.0.0.1');
}

void main();
