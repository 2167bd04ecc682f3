import type { SqlDatabase } from '@keystone/sql';

export interface Notification {
  readonly id: string;
  readonly recipient: string;
  readonly kind: string;
  readonly caseId: string;
  readonly message: string;
  readonly dueAt: string;
  readonly createdAt: string;
}

/** Where notifications go; more adapters (webhooks) implement the same port. */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

/** The inbox: a read model the API shows to each recipient. Idempotent by notification id. */
export class InboxNotifier implements Notifier {
  private ready: Promise<void> | null = null;

  constructor(private readonly db: SqlDatabase) {}

  private init(): Promise<void> {
    return (this.ready ??= this.db.exec(
      'CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, recipient TEXT NOT NULL, kind TEXT NOT NULL, case_id TEXT NOT NULL, message TEXT NOT NULL, due_at TEXT NOT NULL, created_at TEXT NOT NULL)',
    ));
  }

  async notify(n: Notification): Promise<void> {
    await this.init();
    await this.db.write((tx) =>
      tx.run(
        'INSERT INTO notifications (id, recipient, kind, case_id, message, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        [n.id, n.recipient, n.kind, n.caseId, n.message, n.dueAt, n.createdAt],
      ),
    );
  }

  async inbox(recipient: string): Promise<Notification[]> {
    await this.init();
    const rows = await this.db.all<{
      id: string;
      recipient: string;
      kind: string;
      case_id: string;
      message: string;
      due_at: string;
      created_at: string;
    }>(
      'SELECT id, recipient, kind, case_id, message, due_at, created_at FROM notifications WHERE recipient = ? ORDER BY due_at, id',
      [recipient],
    );
    return rows.map((r) => ({
      id: r.id,
      recipient: r.recipient,
      kind: r.kind,
      caseId: r.case_id,
      message: r.message,
      dueAt: r.due_at,
      createdAt: r.created_at,
    }));
  }
}
