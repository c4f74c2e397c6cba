// Search terms as small integers: documents are tokenized once (per registered group) into term
// ids, and every index of a catalog version is assembled from those ids without touching strings.

export class TermDictionary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];

  /** Number of distinct terms seen so far (ids are 0 … size − 1). */
  get size(): number {
    return this.terms.length;
  }

  /** The id of `term`, added when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  /** The id of `term`, or undefined when it was never seen. */
  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  termOf(id: number): string {
    return this.terms[id]!;
  }

  /** Ids of `tokens`, in order. */
  internAll(tokens: readonly string[]): Int32Array {
    const ids = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) ids[index] = this.intern(tokens[index]!);
    return ids;
  }
}
