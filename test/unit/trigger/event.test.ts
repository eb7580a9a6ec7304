import { describe, expect, it } from 'vitest';
import { UnsupportedEventError } from '../../../src/trigger/errors.js';
import { parseTriggerEvent } from '../../../src/trigger/event.js';
import { loadEvent } from '../../helpers/inventory.js';

const MANIFEST_KEY = 'inventory/example-data-bucket/s3-reencrypt/2024-05-06T00-00Z/manifest.json';

type S3Event = { Records: { eventName: string; s3: { object: { key: string; size?: number } } }[] };
type EbEvent = { 'detail-type': string; detail: { object: { key: string; size?: number } } };

describe('parseTriggerEvent', () => {
  it('takes a classic S3 notification for an inventory manifest.json', () => {
    // Act
    const items = parseTriggerEvent(loadEvent('s3/inventory-manifest-created.json'));
    // Assess
    expect(items).toEqual([
      {
        kind: 'manifest',
        ref: {
          bucket: 'example-inventory-bucket',
          key: MANIFEST_KEY,
          etag: 'd41d8cd98f00b204e9800998ecf8427e',
          versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
          region: 'us-east-1',
        },
        location: {
          destinationPrefix: 'inventory',
          sourceBucket: 'example-data-bucket',
          configId: 's3-reencrypt',
          timestamp: '2024-05-06T00-00Z',
        },
      },
    ]);
  });

  it('decodes a form-encoded notification key once ("+" is a space, %2B a plus)', () => {
    // Act
    const [item] = parseTriggerEvent(loadEvent('s3/inventory-manifest-created-encoded-key.json'));
    // Assess
    expect(item).toMatchObject({
      kind: 'manifest',
      ref: { key: 'my inventories/example-data-bucket/daily report+1/2024-05-06T00-00Z/manifest.json' },
      location: { destinationPrefix: 'my inventories', configId: 'daily report+1' },
    });
    expect(item?.kind === 'manifest' && item.ref.rawKey).toBe(undefined);
  });

  it('takes an EventBridge "Object Created" event and keeps the key as sent for a fallback', () => {
    // Prepare
    const event = loadEvent<EbEvent>('eventbridge/inventory-manifest-created.json', (e) => {
      e.detail.object.key = 'inv+x/example-data-bucket/s3-reencrypt/2024-05-06T00-00Z/manifest.json';
    });
    // Act
    const [item] = parseTriggerEvent(event);
    // Assess
    expect(item).toMatchObject({
      kind: 'manifest',
      ref: {
        bucket: 'example-inventory-bucket',
        key: 'inv x/example-data-bucket/s3-reencrypt/2024-05-06T00-00Z/manifest.json',
        rawKey: 'inv+x/example-data-bucket/s3-reencrypt/2024-05-06T00-00Z/manifest.json',
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        region: 'us-east-1',
      },
    });
  });

  it.each([
    ['the s3:TestEvent message', 's3/test-event.json', /s3:TestEvent/],
    [
      'manifest.checksum (S3 notification)',
      's3/inventory-checksum-created.json',
      /not an inventory manifest\.json \(manifest\.checksum\)/,
    ],
    ['manifest.checksum (EventBridge)', 'eventbridge/inventory-checksum-created.json', /manifest\.checksum/],
    ['the Hive symlink file', 's3/inventory-hive-symlink-created.json', /symlink\.txt/],
    [
      'an EventBridge "Object Deleted" event',
      'eventbridge/object-deleted.json',
      /Object Deleted is not an object creation/,
    ],
  ])('ignores %s with a reason', (_name, file, reason) => {
    // Act
    const items = parseTriggerEvent(loadEvent(file));
    // Assess
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it.each<[string, (e: S3Event) => void, RegExp]>([
    [
      'a zero-byte placeholder manifest.json',
      (e) => {
        e.Records[0]!.s3.object.size = 0;
      },
      /placeholder/,
    ],
    [
      'a folder placeholder',
      (e) => {
        e.Records[0]!.s3.object.key = 'inventory/example-data-bucket/';
      },
      /folder/,
    ],
    [
      'a Batch completion report manifest.json',
      (e) => {
        e.Records[0]!.s3.object.key = 'reports/job-1f2e/manifest.json';
      },
      /outside the inventory layout/,
    ],
    [
      'a data file',
      (e) => {
        e.Records[0]!.s3.object.key = 'inventory/b/c/data/1.csv.gz';
      },
      /1\.csv\.gz/,
    ],
    [
      'an ObjectRemoved record',
      (e) => {
        e.Records[0]!.eventName = 'ObjectRemoved:Delete';
      },
      /not an object creation/,
    ],
  ])('ignores %s', (_name, edit, reason) => {
    // Act
    const items = parseTriggerEvent(loadEvent<S3Event>('s3/inventory-manifest-created.json', edit));
    // Assess
    expect(items[0]).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it('unwraps S3 notifications delivered through SQS and SNS', () => {
    // Prepare
    const inner = JSON.stringify(loadEvent('s3/inventory-manifest-created.json'));
    // Act
    const items = parseTriggerEvent({
      Records: [
        { eventSource: 'aws:sqs', body: inner },
        { EventSource: 'aws:sns', Sns: { Message: inner } },
      ],
    });
    // Assess
    expect(items.map((i) => i.kind === 'manifest' && i.ref.key)).toEqual([MANIFEST_KEY, MANIFEST_KEY]);
  });

  it.each([[null], ['text'], [{ hello: 'world' }], [{ source: 'aws.ec2' }]])(
    'rejects an event that is neither S3 nor EventBridge S3: %j',
    (event) => {
      expect(() => parseTriggerEvent(event)).toThrow(UnsupportedEventError);
    },
  );

  it("recognises a split run's task object", () => {
    // Prepare
    const event = loadEvent<S3Event>('s3/inventory-manifest-created.json', (e) => {
      e.Records[0]!.s3.object.key = 'plans/data/cfg/2024-05-06T00-00Z/parts/07/task.json';
    });
    // Act
    const [item] = parseTriggerEvent(event);
    // Assess
    expect(item).toEqual({
      kind: 'part',
      bucket: 'example-inventory-bucket',
      key: 'plans/data/cfg/2024-05-06T00-00Z/parts/07/task.json',
    });
  });
});
