/** A message for the people who run the pipeline. */
export interface Notification {
  readonly subject: string;
  readonly message: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface Notifier {
  publish(notification: Notification): Promise<{ readonly messageId?: string }>;
}
