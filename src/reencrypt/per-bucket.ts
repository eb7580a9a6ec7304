/**
 * A bucket-level fact asked once per bucket per container (or local engine run), shared by every
 * task that needs it. A failed question is not remembered: the next task asks again.
 */
export class PerBucket<T> {
  readonly #known = new Map<string, Promise<T>>();
  readonly #ask: (bucket: string) => Promise<T>;

  constructor(ask: (bucket: string) => Promise<T>) {
    this.#ask = ask;
  }

  get(bucket: string): Promise<T> {
    let answer = this.#known.get(bucket);
    if (!answer) {
      answer = this.#ask(bucket);
      this.#known.set(bucket, answer);
      answer.catch(() => this.#known.delete(bucket));
    }
    return answer;
  }
}
