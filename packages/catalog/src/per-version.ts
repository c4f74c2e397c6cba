/** One value derived from one catalog version: built on first use, rebuilt after the version changes. */
export class PerVersion<T> {
  private version: string | undefined;
  private value: T | undefined;

  get(version: string, build: () => T): T {
    if (this.version !== version || this.value === undefined) {
      this.value = build();
      this.version = version;
    }
    return this.value;
  }
}
