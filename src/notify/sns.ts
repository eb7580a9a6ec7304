import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from './port.js';

// SNS limits: subject ASCII without line breaks, under 100 characters; message up to 256 KB.
const MAX_SUBJECT = 99;
const MAX_MESSAGE_BYTES = 256 * 1024 - 512;

export const snsSubject = (text: string): string => {
  const ascii = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7E]/g, '?')
    .trim();
  return ascii.length > MAX_SUBJECT ? `${ascii.slice(0, MAX_SUBJECT - 3)}...` : ascii || 'notification';
};

export function snsMessage(text: string): string {
  if (Buffer.byteLength(text) <= MAX_MESSAGE_BYTES) return text;
  let cut = text.slice(0, MAX_MESSAGE_BYTES);
  while (Buffer.byteLength(cut) > MAX_MESSAGE_BYTES - 20) cut = cut.slice(0, -1024);
  return `${cut}\n… (truncated)`;
}

/** Publishes to one SNS topic; the client is injected (built once per container). */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(n: Notification): Promise<{ readonly messageId?: string }> {
    const out = await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(n.subject),
        Message: snsMessage(n.message),
        ...(n.attributes
          ? {
              MessageAttributes: Object.fromEntries(
                Object.entries(n.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
              ),
            }
          : {}),
      }),
    );
    return out.MessageId ? { messageId: out.MessageId } : {};
  }
}
