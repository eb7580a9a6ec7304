/**
 * A competing writer for the race tests. It overwrites objects through the proxy (so the proxy's per-key lock
 * orders its writes against the job's conditional writes, as S3 would) and remembers, for every key, the
 * last bytes it wrote and when that write was acknowledged on a shared logical clock.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bodyFor, sha256 } from './rig.js';

/** A logical clock shared by the racer and the job's instrumentation: one tick per recorded event. */
export class Clock {
  #t = 0;
  tick(): number {
    return ++this.#t;
  }
}

/** How the racer writes: unencrypted, SSE-S3, or alternating (so the update route meets both). */
export type RacerEncryption = 'none' | 'sse-s3' | 'alternate';

export interface LastWrite {
  readonly n: number;
  readonly sha256: string;
  readonly encrypted: boolean;
  /** Clock tick at which S3 acknowledged the write. */
  readonly ackedAt: number;
}

export class Racer {
  readonly last = new Map<string, LastWrite>();
  /** Every acknowledged write, in order: key and tick. */
  readonly acks: { key: string; at: number }[] = [];
  readonly #count = new Map<string, number>();
  readonly #chains = new Map<string, Promise<void>>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
    private readonly encryption: RacerEncryption,
  ) {}

  get writes(): number {
    return this.acks.length;
  }

  /** Overwrites `key` with new bytes; writes to one key are chained, so "last" is well defined. */
  write(key: string): Promise<void> {
    const previous = this.#chains.get(key) ?? Promise.resolve();
    // A failed write fails its caller (and settle()); the next write to the key still runs.
    const next = previous.catch(() => undefined).then(() => this.#put(key));
    this.#chains.set(key, next);
    return next;
  }

  async #put(key: string): Promise<void> {
    const n = (this.#count.get(key) ?? 0) + 1;
    this.#count.set(key, n);
    const encrypted = this.encryption === 'sse-s3' || (this.encryption === 'alternate' && n % 2 === 1);
    const body = bodyFor(key, n);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ...(encrypted ? { ServerSideEncryption: 'AES256' } : {}),
      }),
    );
    const ackedAt = this.clock.tick();
    this.last.set(key, { n, sha256: sha256(body), encrypted, ackedAt });
    this.acks.push({ key, at: ackedAt });
  }

  /** Resolves when every write started so far has been acknowledged. */
  async settle(): Promise<void> {
    await Promise.all(this.#chains.values());
  }
}
