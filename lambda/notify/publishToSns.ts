/** Publishes a diagnosis to SNS; a failure propagates so the record is retried, then dead-lettered. */
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';

export async function publishToSns(client: SNSClient, input: PublishCommandInput & { TopicArn: string }): Promise<string | undefined> {
  const output = await client.send(new PublishCommand(input));
  return output.MessageId;
}
