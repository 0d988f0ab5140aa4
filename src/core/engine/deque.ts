/** A growable ring-buffer FIFO (the global run queue, channel wait queues). */
export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  length = 0;
  constructor(capacity = 16) {
    this.buf = new Array(capacity);
  }
  private grow(): void {
    const old = this.buf;
    const n = old.length;
    const nb = new Array<T | undefined>(n * 2);
    for (let i = 0; i < this.length; i++) nb[i] = old[(this.head + i) % n];
    this.buf = nb;
    this.head = 0;
  }
  push(x: T): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) % this.buf.length] = x;
    this.length++;
  }
  unshift(x: T): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = x;
    this.length++;
  }
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const x = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return x;
  }
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }
  at(i: number): T | undefined {
    return i < 0 || i >= this.length ? undefined : this.buf[(this.head + i) % this.buf.length];
  }
  /** Removes the first occurrence of x (O(n)); returns whether it was there. */
  remove(x: T): boolean {
    for (let i = 0; i < this.length; i++) {
      if (this.at(i) === x) {
        for (let j = i; j < this.length - 1; j++) this.buf[(this.head + j) % this.buf.length] = this.buf[(this.head + j + 1) % this.buf.length];
        this.buf[(this.head + this.length - 1) % this.buf.length] = undefined;
        this.length--;
        return true;
      }
    }
    return false;
  }
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i)!);
    return out;
  }
}
