import { InventoryManifestError, UnsupportedInventoryFormatError } from './errors.js';
import { fieldFromParquetColumn, type InventoryField, isInventoryField, REQUIRED_FIELDS } from './fields.js';
import type { InventoryDataFile, InventoryFormat, InventoryManifest, InventoryManifestRef } from './types.js';

/** The only manifest.json version S3 Inventory has published (aws-facts §4.2). */
export const MANIFEST_VERSION = '2016-11-30';

const S3_BUCKET_ARN = /^arn:[a-z-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const MD5_HEX = /^[0-9a-f]{32}$/i;

export const s3Url = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/**
 * Column order from `fileSchema`. CSV lists PascalCase names separated by `, `; Parquet gives a
 * `message s3.inventory { required binary bucket (UTF8); ... }` schema whose names are snake_case.
 * Unknown CSV columns are kept as null so later fields still line up (S3 adds fields over time).
 */
export function parseFileSchema(
  format: InventoryFormat,
  schema: string,
  file: string,
): (InventoryField | null)[] {
  let names: (InventoryField | null)[];
  if (format === 'CSV') {
    names = schema.split(',').map((s) => {
      const name = s.trim();
      return isInventoryField(name) ? name : null;
    });
    if (schema.split(',').some((s) => s.trim() === ''))
      throw new InventoryManifestError(`fileSchema has an empty column name: "${schema}" (${file})`, {
        file,
        field: 'fileSchema',
      });
  } else {
    const body = /^\s*message\s+[\w.]+\s*\{([\s\S]*)\}\s*$/.exec(schema);
    if (!body)
      throw new InventoryManifestError(
        `fileSchema is not a Parquet message schema ("message s3.inventory { ... }"): "${schema.slice(0, 120)}" (${file})`,
        { file, field: 'fileSchema' },
      );
    names = [];
    for (const decl of body[1]!.split(';')) {
      const m = /^\s*(required|optional|repeated)\s+\w+\s+(\w+)/.exec(decl);
      if (m) names.push(fieldFromParquetColumn(m[2]!) ?? null);
    }
  }
  const known = names.filter((n): n is InventoryField => n !== null);
  const dup = known.find((n, i) => known.indexOf(n) !== i);
  if (dup)
    throw new InventoryManifestError(`fileSchema names column ${dup} twice (${file})`, {
      file,
      field: 'fileSchema',
    });
  for (const required of REQUIRED_FIELDS) {
    if (!known.includes(required)) {
      const advice =
        required === 'EncryptionStatus'
          ? '; add the "Encryption" (EncryptionStatus) field to the inventory configuration, the filter needs it'
          : '';
      throw new InventoryManifestError(`fileSchema has no ${required} column${advice} (${file})`, {
        file,
        field: 'fileSchema',
      });
    }
  }
  return names;
}

function fail(file: string, field: string, problem: string): never {
  throw new InventoryManifestError(`manifest.json field "${field}" ${problem} (${file})`, { file, field });
}

function str(o: Record<string, unknown>, field: string, file: string): string {
  const v = o[field];
  if (v === undefined || v === null) fail(file, field, 'is missing');
  if (typeof v !== 'string' || v.trim() === '')
    fail(file, field, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function parseFormat(value: string, file: string): InventoryFormat {
  const v = value.trim().toUpperCase();
  if (v === 'CSV') return 'CSV';
  if (v === 'PARQUET') return 'Parquet';
  if (v === 'ORC')
    throw new UnsupportedInventoryFormatError(
      'ORC',
      `inventory ${file} is in ORC format, which s3-reencrypt does not read; ` +
        "set the inventory configuration's output format to CSV (also usable directly by S3 Batch Operations) or Apache Parquet",
      { file },
    );
  throw new UnsupportedInventoryFormatError(
    value,
    `manifest.json field "fileFormat" is "${value}"; expected CSV or Parquet (${file})`,
    { file },
  );
}

function parseFiles(v: unknown, file: string): InventoryDataFile[] {
  if (!Array.isArray(v)) fail(file, 'files', v === undefined ? 'is missing' : 'must be an array');
  return v.map((entry: unknown, i) => {
    const field = `files[${i}]`;
    if (typeof entry !== 'object' || entry === null) fail(file, field, 'must be an object');
    const e = entry as Record<string, unknown>;
    const key = e.key;
    if (typeof key !== 'string' || key === '') fail(file, `${field}.key`, 'is missing or empty');
    const size = e.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      fail(file, `${field}.size`, `must be a non-negative whole number, got ${JSON.stringify(size)}`);
    const md5 = e.MD5checksum;
    if (typeof md5 !== 'string' || !MD5_HEX.test(md5))
      fail(file, `${field}.MD5checksum`, `must be 32 hex characters, got ${JSON.stringify(md5)}`);
    return { key, size, md5: md5.toLowerCase() };
  });
}

/** Parses and validates manifest.json text; throws an InventoryError naming the field at fault. */
export function parseInventoryManifest(
  text: string,
  meta: { ref: InventoryManifestRef; etag: string; checksumVerified: boolean },
): InventoryManifest {
  const file = s3Url(meta.ref.bucket, meta.ref.key);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new InventoryManifestError(
      `manifest.json is not valid JSON (${file}): ${(cause as Error).message}`,
      { file },
      { cause },
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InventoryManifestError(`manifest.json is not a JSON object (${file})`, { file });
  const o = doc as Record<string, unknown>;

  const sourceBucket = str(o, 'sourceBucket', file);
  const destinationArn = str(o, 'destinationBucket', file);
  const dest = S3_BUCKET_ARN.exec(destinationArn);
  if (!dest)
    fail(file, 'destinationBucket', `must be a bucket ARN like arn:aws:s3:::name, got "${destinationArn}"`);
  const version = str(o, 'version', file);
  if (version !== MANIFEST_VERSION)
    fail(file, 'version', `is "${version}"; only ${MANIFEST_VERSION} is known`);
  const created = o.creationTimestamp;
  const createdMs = typeof created === 'string' && /^\d+$/.test(created) ? Number(created) : created;
  if (typeof createdMs !== 'number' || !Number.isSafeInteger(createdMs) || createdMs <= 0)
    fail(file, 'creationTimestamp', `must be epoch milliseconds as a string, got ${JSON.stringify(created)}`);
  const fileFormat = parseFormat(str(o, 'fileFormat', file), file);
  const columns = parseFileSchema(fileFormat, str(o, 'fileSchema', file), file);
  const files = parseFiles(o.files, file);

  return {
    ref: meta.ref,
    etag: meta.etag,
    sourceBucket,
    destinationBucket: dest[1]!,
    version,
    creationTimestamp: new Date(createdMs),
    fileFormat,
    columns,
    files,
    checksumVerified: meta.checksumVerified,
    allVersions: columns.includes('VersionId'),
  };
}
