/** The command line contract (architecture.md): scripts depend on these numbers. */
export const ExitCodes = {
  /** Done. */
  ok: 0,
  /** Done, and some objects failed or are not compliant. */
  objectsFailed: 1,
  /** Bad input or usage. */
  usage: 2,
  /** Cannot reach AWS, or credentials / permissions refused. */
  aws: 3,
} as const;
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
