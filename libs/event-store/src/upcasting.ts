import type { JsonObject, RecordedEvent } from './event-store.port';

/**
 * Turns an event of one (type, schemaVersion) into the next schema version's shape. An event's
 * name never changes; an old shape is upcast on read, one version step at a time.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(data: JsonObject, event: RecordedEvent): JsonObject;
}

export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): void {
    const key = keyOf(upcaster.type, upcaster.fromSchemaVersion);
    if (this.byKey.has(key)) {
      throw new Error(`Two upcasters for ${upcaster.type} v${upcaster.fromSchemaVersion}`);
    }
    this.byKey.set(key, upcaster);
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  apply(event: RecordedEvent): RecordedEvent {
    let current = event;
    for (;;) {
      const upcaster = this.byKey.get(keyOf(current.type, current.schemaVersion));
      if (!upcaster) return current;
      current = {
        ...current,
        data: upcaster.upcast(current.data, current),
        schemaVersion: current.schemaVersion + 1,
      };
    }
  }
}

function keyOf(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}
