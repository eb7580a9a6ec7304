/** Base for every failure of the cost model; `cause` keeps the underlying error. */
export class CostError extends Error {
  override readonly name: string = 'CostError';
}

/** No price table for the region, and no fallback region was requested. */
export class UnknownRegionError extends CostError {
  override readonly name = 'UnknownRegionError';
  readonly region: string;
  readonly knownRegions: readonly string[];
  constructor(region: string, knownRegions: readonly string[], options?: ErrorOptions) {
    super(
      `no price table for region "${region}" (known: ${knownRegions.join(', ')}); ` +
        'pass a fallback region to estimate with another region’s prices',
      options,
    );
    this.region = region;
    this.knownRegions = knownRegions;
  }
}

/** An input to an estimate is out of range; names the field. */
export class InvalidCostInputError extends CostError {
  override readonly name = 'InvalidCostInputError';
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}
