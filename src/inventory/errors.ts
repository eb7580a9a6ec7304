/**
 * Errors of the inventory reader. Each names what is wrong and where: the object (bucket/key), the
 * manifest field or the data-file row, so a user can fix the inventory configuration without a debugger.
 */
export interface InventoryErrorContext {
  /** `s3://bucket/key` (or a local path) of the file at fault. */
  readonly file?: string;
  /** manifest.json field or inventory column name. */
  readonly field?: string;
  /** 1-based row number inside a data file. */
  readonly row?: number;
}

export class InventoryError extends Error {
  override readonly name: string = 'InventoryError';
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly row: number | undefined;
  constructor(message: string, context: InventoryErrorContext = {}, options?: ErrorOptions) {
    super(message, options);
    this.file = context.file;
    this.field = context.field;
    this.row = context.row;
  }
}

/** manifest.json is not JSON, lacks a field, or a field has a value the pipeline cannot use. */
export class InventoryManifestError extends InventoryError {
  override readonly name = 'InventoryManifestError';
}

/** The inventory is in a format the pipeline does not read (ORC, or an unknown fileFormat). */
export class UnsupportedInventoryFormatError extends InventoryError {
  override readonly name = 'UnsupportedInventoryFormatError';
  readonly format: string;
  constructor(format: string, message: string, context: InventoryErrorContext = {}) {
    super(message, { ...context, field: 'fileFormat' });
    this.format = format;
  }
}

/** manifest.checksum does not match the MD5 of manifest.json (a partial or tampered delivery). */
export class InventoryChecksumError extends InventoryError {
  override readonly name = 'InventoryChecksumError';
  readonly expected: string;
  readonly actual: string;
  constructor(file: string, expected: string, actual: string) {
    super(
      `manifest.checksum says ${expected} but the MD5 of manifest.json is ${actual} (${file}); ` +
        'the delivery is incomplete or was altered',
      { file, field: 'manifest.checksum' },
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** A data file listed in manifest.json is missing, unreadable, truncated or not what it claims to be. */
export class InventoryDataFileError extends InventoryError {
  override readonly name = 'InventoryDataFileError';
}

/** A data-file row does not fit the schema: wrong column count or a value outside the documented set. */
export class InventoryRowError extends InventoryError {
  override readonly name = 'InventoryRowError';
}
