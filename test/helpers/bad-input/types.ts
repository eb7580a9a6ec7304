/**
 * The bad-input corpus (issue 6): one table per entry point, each case a malformed input and what its
 * refusal must say. `names` matches the offending field, option, variable or file; a refusal that does not
 * say what is wrong fails the test as surely as one that is not raised.
 */

/** Any error class, for `toBeInstanceOf`. */
// biome-ignore lint/suspicious/noExplicitAny: constructor signatures of the error classes differ.
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface BadInputCase<Input> {
  /** What is wrong with the input (the test name). */
  readonly name: string;
  readonly input: Input;
  /** The refusal names the problem: field, option, variable, file or row. */
  readonly names: RegExp;
}

/** Names and values a fixture needs that exist only at run time (buckets, keys, the target key). */
export interface World {
  /** A versioned bucket holding unencrypted objects that a valid input would re-encrypt. */
  readonly dataBucket: string;
  /** An object in it. */
  readonly dataKey: string;
  readonly targetKeyArn: string;
}
