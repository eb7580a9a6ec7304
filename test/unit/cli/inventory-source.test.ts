import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../../src/cli/inventory-source.js';
import { InventoryChecksumError, InventoryDataFileError } from '../../../src/inventory/errors.js';
import { gzipLines, manifestDocument } from '../../helpers/inventory.js';

const DATA_KEY = 'inventory/data-bucket/daily/data/0b1c2d3e.csv.gz';
const DELIVERY = 'inventory/data-bucket/daily/2024-05-06T00-00Z';
const noS3 = () => {
  throw new Error('a local inventory must not touch S3');
};
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** Writes a one-file CSV delivery under `root`: manifest.json at `manifestDir`, the data file at `dataPath`. */
async function delivery(o: {
  manifestDir: string;
  dataPath: string;
  listedSize?: number;
  checksum?: string;
}) {
  const data = gzipLines([
    '"data-bucket","a%20b.txt","12","STANDARD","SSE-S3"\n',
    '"data-bucket","ok.txt","3","STANDARD","SSE-KMS"\n',
  ]);
  await mkdir(dirname(o.dataPath), { recursive: true });
  await writeFile(o.dataPath, data);
  const manifest = JSON.stringify(
    manifestDocument({
      fileSchema: 'Bucket, Key, Size, StorageClass, EncryptionStatus',
      files: [{ key: DATA_KEY, size: o.listedSize ?? data.length, MD5checksum: md5(data) }],
    }),
  );
  await mkdir(o.manifestDir, { recursive: true });
  const path = join(o.manifestDir, 'manifest.json');
  await writeFile(path, manifest);
  await writeFile(join(o.manifestDir, 'manifest.checksum'), `${o.checksum ?? md5(manifest)}\n`);
  return path;
}

async function rowsOf(path: string) {
  const source = await openInventory({ kind: 'file', path }, noS3);
  const keys: string[] = [];
  for (const file of source.manifest.files) for await (const row of source.rows(file)) keys.push(row.key);
  return { source, keys };
}

describe('openInventory on a local copy', () => {
  it.each([
    ['the whole destination bucket (aws s3 sync s3://inventory-bucket .)', DELIVERY, DATA_KEY],
    [
      'one configuration folder (aws s3 cp --recursive …/daily/ .)',
      '2024-05-06T00-00Z',
      'data/0b1c2d3e.csv.gz',
    ],
    ['everything in one folder', 'flat', 'flat/0b1c2d3e.csv.gz'],
  ])('finds the data files of %s', async (_name, manifestDir, dataPath) => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'inv-local-'));
    const path = await delivery({ manifestDir: join(root, manifestDir), dataPath: join(root, dataPath) });
    // Act
    const { source, keys } = await rowsOf(path);
    // Assess
    expect(keys).toEqual(['a b.txt', 'ok.txt']);
    expect(source.location).toBe(path);
    expect(source.manifest).toMatchObject({ sourceBucket: 'data-bucket', checksumVerified: true });
  });

  it('names the data file it cannot find', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'inv-local-'));
    const path = await delivery({
      manifestDir: join(root, 'm'),
      dataPath: join(root, 'elsewhere', 'x.csv.gz'),
    });
    // Act
    const opened = openInventory({ kind: 'file', path }, noS3);
    // Assess
    await expect(opened).rejects.toThrow(InventoryDataFileError);
    await expect(opened).rejects.toThrow(`data file ${DATA_KEY} listed in ${path} is not on disk`);
  });

  it('refuses a data file whose size differs from manifest.json', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'inv-local-'));
    const path = await delivery({
      manifestDir: join(root, 'm'),
      dataPath: join(root, 'm', '0b1c2d3e.csv.gz'),
      listedSize: 5,
    });
    // Act + Assess
    await expect(openInventory({ kind: 'file', path }, noS3)).rejects.toThrow(
      /bytes but manifest\.json lists 5: it was replaced/,
    );
  });

  it('refuses a manifest.json that does not match manifest.checksum', async () => {
    // Prepare
    const root = await mkdtemp(join(tmpdir(), 'inv-local-'));
    const path = await delivery({
      manifestDir: join(root, 'm'),
      dataPath: join(root, 'm', '0b1c2d3e.csv.gz'),
      checksum: '0'.repeat(32),
    });
    // Act + Assess
    await expect(openInventory({ kind: 'file', path }, noS3)).rejects.toThrow(InventoryChecksumError);
  });

  it('says when manifest.json is not there', async () => {
    // Act + Assess
    await expect(openInventory({ kind: 'file', path: '/nonexistent/manifest.json' }, noS3)).rejects.toThrow(
      'manifest.json does not exist: /nonexistent/manifest.json',
    );
  });
});
