/** Keeps the last `maxChars` characters written by a child process, cut at a line start when possible. */
export class StderrTail {
  private text = '';

  constructor(private readonly maxChars = 4_000) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  /** The tail, trimmed; starts after a newline when the buffer was cut, so no half line leads. */
  toString(): string {
    let tail = this.text.length > this.maxChars ? this.text.slice(-this.maxChars) : this.text;
    if (tail.length < this.text.length) {
      const newline = tail.indexOf('\n');
      if (newline !== -1 && newline < tail.length - 1) tail = `…${tail.slice(newline + 1)}`;
    }
    return tail.trim();
  }
}
