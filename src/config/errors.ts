/** Configuration that cannot be used; names the variable or option at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string | undefined;
  constructor(message: string, context: { variable?: string } = {}, options?: ErrorOptions) {
    super(message, options);
    this.variable = context.variable;
  }
}
