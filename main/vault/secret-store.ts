/** Where secrets physically live. Implementations never log or echo a value. */
export interface SecretStore {
  readonly kind: 'keychain' | 'encrypted-file' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key this store holds for Switchboard (to clean up removed accounts). */
  keys(): Promise<string[]>;
}

/** Session-only store: used when no keychain answers in the browser console; forgotten at exit. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly map = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.map.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.map.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }
}
