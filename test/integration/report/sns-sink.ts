import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';

/** What moto's SNS delivered to an HTTP subscriber. */
export interface SnsDelivery {
  readonly Type: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly TopicArn: string;
}

/**
 * A real SNS topic on moto with an HTTP subscription to a server in this process: moto POSTs every
 * published message to it (moto confirms HTTP subscriptions itself), so tests count real deliveries.
 */
export async function snsTopicWithSink(sns: SNSClient, name: string) {
  const deliveries: SnsDelivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      try {
        deliveries.push(JSON.parse(body) as SnsDelivery);
      } finally {
        res.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const topic = await sns.send(new CreateTopicCommand({ Name: name }));
  const topicArn = topic.TopicArn as string;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${port}/` }),
  );
  return {
    topicArn,
    /** Notifications only (not subscription confirmations). */
    messages: () => deliveries.filter((d) => d.Type === 'Notification'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
