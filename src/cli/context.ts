import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SNSClient } from '@aws-sdk/client-sns';
import {
  type AwsSettings,
  makeKmsClient,
  makeS3Client,
  makeS3ControlClient,
  makeSnsClient,
} from '../aws/clients.js';
import { withErrorContext } from './aws-error-context.js';
import type { CliIo } from './io.js';
import { createProgress, type Progress, type ProgressOptions } from './progress.js';

/** AWS clients, each built on first use (a usage error never builds one) and destroyed at exit. */
export interface CliClients {
  s3(): S3Client;
  kms(): KMSClient;
  s3control(): S3ControlClient;
  sns(): SNSClient;
}

/** What every command's `run` receives, besides its own parsed options. */
export interface CommandContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly debug: boolean;
  readonly aws: AwsSettings;
  readonly clients: CliClients;
  readonly signal: AbortSignal | undefined;
  progress(options: ProgressOptions): Progress;
  /** One line on stderr, prefixed `warning:`; kept out of stdout so --json stays one document. */
  warn(message: string): void;
}

/**
 * S3 Control's endpoint rules put the account id in the host name (`<account>.<endpoint>`), which an IP
 * address or a local emulator cannot resolve. With a custom endpoint the request goes to it as given; the
 * account still travels in the x-amz-account-id header every S3 Control call carries.
 */
function accountInHeader(client: S3ControlClient, endpoint: string | undefined): S3ControlClient {
  if (!endpoint) return client;
  const url = new URL(endpoint);
  (client.config as unknown as { endpointProvider: () => { url: URL } }).endpointProvider = () => ({ url });
  return client;
}

export interface OwnedContext {
  readonly context: CommandContext;
  close(): void;
}

export function createContext(
  io: CliIo,
  flags: { json: boolean; debug: boolean },
  aws: AwsSettings,
): OwnedContext {
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) {
        client = make();
        built.push(client);
      }
      return client;
    };
  };
  const clients: CliClients = {
    s3: lazy(() => withErrorContext(makeS3Client(aws), aws.endpoints.s3)),
    kms: lazy(() => withErrorContext(makeKmsClient(aws), aws.endpoints.kms)),
    s3control: lazy(() =>
      withErrorContext(
        accountInHeader(makeS3ControlClient(aws), aws.endpoints.s3control),
        aws.endpoints.s3control,
      ),
    ),
    sns: lazy(() => withErrorContext(makeSnsClient(aws), aws.endpoints.sns)),
  };
  const context: CommandContext = {
    io,
    json: flags.json,
    debug: flags.debug,
    aws,
    clients,
    signal: io.signal,
    progress: (options) => createProgress(io.stderr, options),
    warn: (message) => {
      io.stderr.write(`warning: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    },
  };
  return {
    context,
    // Keep-alive sockets would otherwise hold the process open after the answer is printed.
    close: () => {
      for (const c of built.splice(0)) c.destroy();
    },
  };
}
