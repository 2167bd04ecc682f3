import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '../event-store.port';
import { EVENT_STORE } from '../tokens';
import type { EventStoreOptions } from '../base-event-store';
import { openEventStore, type EventStoreConfig } from '../open-event-store';

export const InjectEventStore = (): ParameterDecorator => Inject(EVENT_STORE);

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  /** The store config names, opened at boot; or `store`, one the caller built (and hands over). */
  static forRoot(
    config: EventStoreConfig,
    options: EventStoreOptions = {},
    store?: EventStore,
  ): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE, useFactory: () => store ?? openEventStore(config, options) },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE],
    };
  }
}
