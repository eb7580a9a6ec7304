import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { ObjectFacts } from './conditions.js';

// Hop-by-hop headers belong to one connection (RFC 9110 §7.6.1); `expect` is answered by the proxy itself.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** Copies raw headers (names as sent, repeated headers kept) minus the hop-by-hop ones. */
export function endToEndHeaders(
  rawHeaders: readonly string[],
  drop: ReadonlySet<string> = HOP_BY_HOP,
): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!drop.has(name.toLowerCase())) out.push(name, rawHeaders[i + 1] as string);
  }
  return out;
}

const RESPONSE_DROP = new Set([...HOP_BY_HOP, 'transfer-encoding']);

export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The moto server behind the proxy: forwards client requests and makes the proxy's own look-ups. */
export class Upstream {
  readonly #host: string;
  readonly #port: number;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #onInternalRequest: () => void;

  constructor(target: string, onInternalRequest: () => void = () => {}) {
    this.#onInternalRequest = onInternalRequest;
    const url = new URL(target);
    if (url.protocol !== 'http:')
      throw new Error(`s3-proxy: target must be an http:// endpoint, got ${target}`);
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
  }

  /**
   * Streams the client's request to moto unchanged (method, target, headers including the SigV4
   * `Authorization` computed for the proxy's host, which moto does not verify, and the body) and resolves
   * with moto's response head. With `continueTo`, `100 Continue` is sent to the client only now, so a
   * request refused earlier by the proxy never uploads its body.
   */
  forward(req: IncomingMessage, continueTo?: ServerResponse): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      // A client that gave up while waiting for a key lock has nothing left to send: forwarding would hang.
      if (req.destroyed && !req.complete) {
        reject(new Error('client closed the request before it was forwarded'));
        return;
      }
      const upstreamReq = request({
        host: this.#host,
        port: this.#port,
        method: req.method,
        path: req.url,
        headers: endToEndHeaders(req.rawHeaders),
        agent: this.#agent,
      });
      upstreamReq.on('response', resolve);
      upstreamReq.on('error', reject);
      req.on('close', () => {
        if (!req.complete) upstreamReq.destroy(new Error('client aborted the request'));
      });
      if (continueTo) continueTo.writeContinue();
      req.pipe(upstreamReq);
    });
  }

  /** Relays a moto response to the client, streaming the body. */
  static relay(upstreamRes: IncomingMessage, res: ServerResponse): void {
    res.writeHead(
      upstreamRes.statusCode ?? 502,
      upstreamRes.statusMessage,
      endToEndHeaders(upstreamRes.rawHeaders, RESPONSE_DROP),
    );
    upstreamRes.pipe(res);
  }

  /**
   * One request of the proxy's own, read to the end. `authFrom` lends the client's `Authorization` and
   * `X-Amz-Date`: moto does not verify signatures but reads the account and the region from the credential
   * scope, so the look-up sees the same account as the client.
   */
  call(
    method: string,
    path: string,
    authFrom: IncomingHttpHeaders,
    extraHeaders: Readonly<Record<string, string>> = {},
    body?: Buffer,
  ): Promise<UpstreamAnswer> {
    this.#onInternalRequest();
    const headers: Record<string, string> = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extraHeaders };
    for (const name of ['authorization', 'x-amz-date', 'x-amz-security-token', 'host']) {
      const v = authFrom[name];
      if (typeof v === 'string') headers[name] = v;
    }
    headers['content-length'] = String(body?.length ?? 0);
    return new Promise((resolve, reject) => {
      const upstreamReq = request({
        host: this.#host,
        port: this.#port,
        method,
        path,
        headers,
        agent: this.#agent,
      });
      upstreamReq.on('error', reject);
      upstreamReq.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      upstreamReq.end(body);
    });
  }

  /**
   * HEADs an object at moto. `undefined` when it does not exist (404, or 405 for a delete-marker version);
   * `'unknown'` for any other answer, in which case the caller forwards and lets moto give its own error.
   */
  async head(
    rawPath: string,
    authFrom: IncomingHttpHeaders,
    versionId?: string,
  ): Promise<(ObjectFacts & { readonly headers: IncomingHttpHeaders }) | undefined | 'unknown'> {
    const query = versionId !== undefined ? `?versionId=${encodeURIComponent(versionId)}` : '';
    let answer = await this.call('HEAD', `${rawPath}${query}`, authFrom);
    // moto refuses versionId=null on an unversioned bucket, where S3 accepts it and means the only version.
    if (answer.status === 400 && versionId === 'null') answer = await this.call('HEAD', rawPath, authFrom);
    if (answer.status === 404 || answer.status === 405) return undefined;
    const etag = answer.headers.etag;
    if (answer.status !== 200 || typeof etag !== 'string') return 'unknown';
    const lm = answer.headers['last-modified'];
    return { etag, headers: answer.headers, ...(lm ? { lastModified: new Date(lm) } : {}) };
  }

  close(): void {
    this.#agent.destroy();
  }
}
