/**
 * One alert per fingerprint per window, delivered at least once on every channel.
 *
 * The first denial of a window claims it with a conditional put. A claim is a lease: its owner (the SQS
 * message, whose id survives retries) resumes it on a retry, and anyone else may take it over once the
 * lease lapses without every channel delivered — so a Lambda killed mid-publish, or a message that went to
 * the dead-letter queue, cannot silence the fingerprint. Each channel is recorded as it is delivered, so a
 * retry sends only what failed. Repeats are counted on an item that exists, never creating one: no write
 * here makes an item without `expiresAt`. TTL deletes expired items lazily, so expiry is in every condition.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { sameUpload, type UploadRecord } from '../events/uploadRecord';
import { batchWrite } from './batchItems';
import { TableReader } from './TableReader';

export interface Repeats {
  count: number;
  since: string;
}

/** The window a publication holds: who holds it, and what is still to be delivered. */
export interface Claim {
  fingerprint: string;
  claimant: string;
  expiresAt: number;
  repeats: Repeats | null;
  pending: string[];
}

export type SuppressionDecision = { publish: true; claim: Claim } | { publish: false };

/** `repeat`: this request was already alerted; `alertedBy`: the event id of the record whose alert spoke for this upload. */
export interface LookUp {
  repeat: boolean;
  alertedBy: string | null;
}

export interface SuppressorSettings {
  windowSeconds: number;
  /** How long a claim is its owner's alone: longer than one invocation. */
  leaseSeconds: number;
}

/** A claim or a count can race an expiry or a takeover; three rounds settle any interleaving of two writers. */
const MAX_ROUNDS = 3;
const REQUEST_PREFIX = 'request:';
const UPLOAD_PREFIX = 'upload:';
const UPLOAD_CLAIM_PREFIX = 'upload-claim:';

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

function repeatsOf(item: Record<string, AttributeValue> | undefined): Repeats | null {
  const count = Number(item?.repeatsCount?.N ?? '0');
  const since = item?.repeatsSince?.S;
  return count > 0 && since ? { count, since } : null;
}

/** How many alerted requests a container keeps in mind before it starts over. */
const MOST_KEPT_IN_MIND = 10_000;

export class AlertSuppressor {
  /** Requests this container saw alerted, to the end of their window (epoch seconds). A hint only: the table decides. */
  private readonly alertedHere = new Map<string, number>();

  /**
   * @param reader the table's gathered reads, shared with whatever else reads the table in the same turn (the
   * shared organization); its own when not given
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly settings: SuppressorSettings,
    private readonly reader: TableReader = new TableReader(client, tableName),
  ) {}

  /** @example const d = await suppressor.claim(fingerprint(diagnosis), { claimant: messageId, channels: ['sns'], now }) */
  async claim(fingerprint: string, request: { claimant: string; channels: string[]; now: Date }): Promise<SuppressionDecision> {
    const epoch = Math.floor(request.now.getTime() / 1000);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const opened = await this.openWindow(fingerprint, request, epoch);
      if (opened) return { publish: true, claim: opened };
      const resumed = await this.resumeOrTakeOver(fingerprint, request, epoch);
      if (resumed) return { publish: true, claim: resumed };
      if (await this.countRepeat(fingerprint, epoch)) return { publish: false };
      // The window expired or vanished between our writes: start again.
    }
    throw new Error(`suppression for ${fingerprint} did not settle in ${MAX_ROUNDS} rounds`);
  }

  private async openWindow(fingerprint: string, request: { claimant: string; channels: string[]; now: Date }, epoch: number) {
    const expiresAt = epoch + this.settings.windowSeconds;
    try {
      const replaced = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            fingerprint: { S: fingerprint },
            windowStart: { S: request.now.toISOString() },
            expiresAt: { N: String(expiresAt) },
            suppressed: { N: '0' },
            claimant: { S: request.claimant },
            leaseUntil: { N: String(epoch + this.settings.leaseSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(fingerprint) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': { N: String(epoch) } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const held = Number(replaced.Attributes?.suppressed?.N ?? '0');
      const since = replaced.Attributes?.windowStart?.S;
      const repeats = held > 0 && since ? { count: held, since } : null;
      if (repeats) await this.recordRepeats(fingerprint, request.claimant, repeats);
      return { fingerprint, claimant: request.claimant, expiresAt, repeats, pending: [...request.channels] };
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  /** The held-back count a new window reports, kept on the item so a resumed or taken-over delivery reports it too. */
  private async recordRepeats(fingerprint: string, claimant: string, repeats: Repeats): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: fingerprint } },
          UpdateExpression: 'SET repeatsCount = :count, repeatsSince = :since',
          ConditionExpression: 'claimant = :me',
          ExpressionAttributeValues: { ':count': { N: String(repeats.count) }, ':since': { S: repeats.since }, ':me': { S: claimant } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Our own claim on a retry, or one whose owner's lease lapsed before every channel was delivered. */
  private async resumeOrTakeOver(fingerprint: string, request: { claimant: string; channels: string[] }, epoch: number) {
    try {
      const updated = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: fingerprint } },
          UpdateExpression: 'SET claimant = :me, leaseUntil = :lease',
          ConditionExpression:
            'attribute_exists(fingerprint) AND expiresAt > :now AND attribute_not_exists(complete) AND (claimant = :me OR leaseUntil <= :now)',
          ExpressionAttributeValues: {
            ':me': { S: request.claimant },
            ':now': { N: String(epoch) },
            ':lease': { N: String(epoch + this.settings.leaseSeconds) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const delivered = new Set(updated.Attributes?.delivered?.SS ?? []);
      return {
        fingerprint,
        claimant: request.claimant,
        expiresAt: Number(updated.Attributes?.expiresAt?.N ?? epoch),
        repeats: repeatsOf(updated.Attributes),
        pending: request.channels.filter((channel) => !delivered.has(channel)),
      };
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  /** @returns false when there is no live window to count against */
  private async countRepeat(fingerprint: string, epoch: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: fingerprint } },
          UpdateExpression: 'ADD suppressed :one',
          ConditionExpression: 'attribute_exists(fingerprint) AND expiresAt > :now',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(epoch) } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Records the channels just delivered, in one write; when none is left the claim is complete. A claim
   * taken over meanwhile is left to its new owner, who may deliver again: at least once, never zero times.
   */
  async delivered(claim: Claim, channels: string[]): Promise<void> {
    if (channels.length === 0) return;
    claim.pending = claim.pending.filter((c) => !channels.includes(c));
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: claim.fingerprint } },
          UpdateExpression: claim.pending.length === 0 ? 'ADD delivered :channels SET complete = :yes' : 'ADD delivered :channels',
          ConditionExpression: 'claimant = :me',
          ExpressionAttributeValues: {
            ':channels': { SS: channels },
            ':me': { S: claim.claimant },
            ...(claim.pending.length === 0 ? { ':yes': { BOOL: true } } : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Whether this container already saw the request alerted: a storm of one request's repeats then starts no
   * reads ahead of its look-up (they would be wasted, a LookupEvents slot among them).
   */
  knownAlerted(requestKey: string, now: Date): boolean {
    return (this.alertedHere.get(requestKey) ?? 0) > Math.floor(now.getTime() / 1000);
  }

  private keepInMind(requestKey: string, until: number): void {
    if (this.alertedHere.size >= MOST_KEPT_IN_MIND) this.alertedHere.clear();
    this.alertedHere.set(requestKey, until);
  }

  /**
   * Before any AWS read, one consistent read of this request's item and its upload's: is the request
   * (same caller, bucket, prefix, call and error) already alerted in a live, completely delivered window —
   * then it is counted there — or is it another record of an upload already alerted (the KMS call S3 made
   * for it, the other account's copy)? An alert still being delivered is not relied on; both records then
   * go on, and the fingerprint's claim keeps them to one alert when their diagnoses agree.
   */
  async lookUp(requestKey: string, upload: UploadRecord, now: Date): Promise<LookUp> {
    const epoch = Math.floor(now.getTime() / 1000);
    const items = await this.reader.readAll([REQUEST_PREFIX + requestKey, ...upload.keys.map((k) => UPLOAD_PREFIX + k)]);
    const live = (item: Record<string, AttributeValue> | undefined) =>
      item?.alertedAs?.S && Number(item.expiresAt?.N ?? '0') > epoch ? item.alertedAs.S : null;
    const requestItem = items.get(REQUEST_PREFIX + requestKey);
    const alertedAs = live(requestItem);
    if (alertedAs && (await this.countRequestRepeat(alertedAs, epoch))) {
      this.keepInMind(requestKey, Number(requestItem?.expiresAt?.N ?? '0'));
      return { repeat: true, alertedBy: null };
    }
    const found = await Promise.all(
      upload.keys.map(async (key) => {
        const item = items.get(UPLOAD_PREFIX + key);
        const fingerprint = live(item);
        if (!item || !fingerprint) return null;
        const stored: UploadRecord = {
          eventId: item.eventId?.S ?? '',
          service: item.service?.S === 'kms' ? 'kms' : 's3',
          at: item.at?.N === undefined ? null : Number(item.at.N),
          keys: [key],
        };
        if (!sameUpload(stored, upload)) return null;
        const alert = await this.client.send(
          new GetItemCommand({ TableName: this.tableName, Key: { fingerprint: { S: fingerprint } }, ConsistentRead: true }),
        );
        return alert.Item?.complete?.BOOL === true && Number(alert.Item.expiresAt?.N ?? '0') > epoch ? stored.eventId : null;
      }),
    );
    return { repeat: false, alertedBy: found.find((eventId) => eventId !== null) ?? null };
  }

  /** A repeat counts against an alert only once every channel has it. */
  private async countRequestRepeat(fingerprint: string, epoch: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: fingerprint } },
          UpdateExpression: 'ADD suppressed :one',
          ConditionExpression: 'attribute_exists(fingerprint) AND expiresAt > :now AND complete = :yes',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(epoch) }, ':yes': { BOOL: true } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Both copies of a cross-account call (its `shared:` upload key) arrive at once, from two accounts, and
   * their diagnoses differ (the bucket owner's copy names only the caller's account): the first to claim the
   * upload diagnoses it; the other waits until it is settled. A claim lapses with its lease, so a copy whose
   * claimant died is taken over, never dropped.
   * @returns `ours` to go on, `settled` when the other copy's alert stands for this one, `busy` to wait
   */
  async claimUpload(key: string, claimant: string, now: Date): Promise<'ours' | 'settled' | 'busy'> {
    const epoch = Math.floor(now.getTime() / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            fingerprint: { S: UPLOAD_CLAIM_PREFIX + key },
            claimant: { S: claimant },
            leaseUntil: { N: String(epoch + this.settings.leaseSeconds) },
            expiresAt: { N: String(epoch + this.settings.windowSeconds) },
          },
          ConditionExpression:
            'attribute_not_exists(fingerprint) OR claimant = :me OR (leaseUntil <= :now AND attribute_not_exists(settled))',
          ExpressionAttributeValues: { ':me': { S: claimant }, ':now': { N: String(epoch) } },
        }),
      );
      return 'ours';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const held = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { fingerprint: { S: UPLOAD_CLAIM_PREFIX + key } }, ConsistentRead: true }),
    );
    return held.Item?.settled?.BOOL === true ? 'settled' : 'busy';
  }

  /** The upload's diagnosis is done with (alerted, or held back as a repeat): the other copy need not be. */
  async settleUpload(key: string, claimant: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: UPLOAD_CLAIM_PREFIX + key } },
          UpdateExpression: 'SET settled = :yes',
          ConditionExpression: 'claimant = :me',
          ExpressionAttributeValues: { ':yes': { BOOL: true }, ':me': { S: claimant } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Remembers the alerted request and its upload (under each of its keys) until the claim's window ends: one write. */
  async remember(requestKey: string, upload: UploadRecord, claim: Claim): Promise<void> {
    this.keepInMind(requestKey, claim.expiresAt);
    const alerted = { alertedAs: { S: claim.fingerprint }, expiresAt: { N: String(claim.expiresAt) } };
    await batchWrite(this.client, this.tableName, [
      { fingerprint: { S: REQUEST_PREFIX + requestKey }, ...alerted },
      ...upload.keys.map((key) => ({
        fingerprint: { S: UPLOAD_PREFIX + key },
        ...alerted,
        eventId: { S: upload.eventId },
        service: { S: upload.service },
        ...(upload.at === null ? {} : { at: { N: String(upload.at) } }),
      })),
    ]);
  }
}
