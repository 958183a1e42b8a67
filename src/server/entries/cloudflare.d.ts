/**
 * The few Cloudflare Workers runtime types the Workers entry uses (workerd provides the module
 * `cloudflare:workers` at run time). Declared here rather than pulling the whole Workers type
 * library into a project whose other code runs on Node and in browsers.
 */
declare module 'cloudflare:workers' {
  export interface DurableObjectStorage {
    get<T = unknown>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
    list<T = unknown>(options?: { limit?: number; start?: string }): Promise<Map<string, T>>;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
    /** SQLite-backed objects (wrangler.toml `new_sqlite_classes`): synchronous SQL on the object's own database. */
    readonly sql: SqlStorage;
    transactionSync<T>(body: () => T): T;
  }

  export type SqlStorageValue = string | number | null | ArrayBuffer;

  export interface SqlStorage {
    exec(query: string, ...bindings: (string | number | null)[]): SqlStorageCursor;
  }

  export interface SqlStorageCursor {
    toArray(): Record<string, SqlStorageValue>[];
    readonly rowsWritten: number;
  }

  export interface DurableObjectState {
    readonly storage: DurableObjectStorage;
  }

  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState;
    protected readonly env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
}
