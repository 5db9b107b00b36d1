/**
 * Plans waiting for approval, the approvals themselves, and the audit trail, in the service's own DynamoDB
 * table (point-in-time recovery on). A plan moves through its states only by conditional writes, so two
 * clicks, two approvers or a replayed request can never start the same change twice:
 *   proposed → [awaiting-second →] applying → applied | refused | rolled-back | failed
 *   applied → rolling-back → rolled-back-on-request | applied (refused: someone changed it since)
 * The plan items are written by the diagnoser and the endpoint too, so the remediator trusts none of their
 * content it has not checked again; what it read and wrote itself it keeps under `remediator:` keys.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { jsonSha256 } from '../model/jsonSha256';
import type { PlanStep, RemediationPlan } from '../model/remediationPlan';
import type { AuditEntry } from '../remediate/applyPlan';

export type PlanState =
  | 'proposed'
  | 'awaiting-second'
  | 'applying'
  | 'applied'
  | 'refused'
  | 'rolled-back'
  | 'failed'
  | 'rolling-back'
  | 'rolled-back-on-request';

export interface StoredPlan {
  plan: RemediationPlan;
  state: PlanState;
  approvers: string[];
  /** Where the outcome is posted, as the endpoint recorded it from the click it verified. */
  responseUrl: string | null;
  messageTs: string | null;
  /** Who asked for the rollback, once one is claimed. */
  rollbackBy: string | null;
}

/** What the endpoint records with a claim: the verified click's reply address, and the time limit. */
export interface ClaimContext {
  responseUrl: string;
  messageTs: string | null;
  now: Date;
  /** A plan older than this is never applied, however it was approved. */
  maxAgeSeconds: number;
}

/**
 * What the remediator itself read and wrote for one step of an applied plan, kept under a key only its
 * role may write: the rollback puts back `restore`, to the target it names, and only while the live
 * document is still `applied`.
 */
export interface AppliedStep {
  service: PlanStep['service'];
  action: PlanStep['action'];
  account: string;
  region: string | null;
  target: string;
  applied: unknown;
  restore: PlanStep['rollback'];
}

export type ClaimResult = { go: true; approvers: string[] } | { go: false; waitingForSecond: boolean; reason: string };

/** A plan nobody approves is forgotten after a week; one that was acted on stays, with its audit. */
const PROPOSAL_DAYS = 7;
/** Slack's timestamp window, twice over: long enough to remember every request that could still verify. */
const REPLAY_MEMORY_SECONDS = 2 * 5 * 60;

interface Move {
  set?: string;
  remove?: string;
  condition?: string;
  values?: Record<string, AttributeValue>;
}

const planKey = (planId: string) => ({ id: { S: `plan:${planId}` } });
/** Keys under `remediator:` are written by the remediator's role alone (dynamodb:LeadingKeys in the stack). */
const remediatorKey = (planId: string, what: string) => ({ id: { S: `remediator:${planId}:${what}` } });
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

export class ApprovalStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Kept once: a repeat of the same diagnosis gives the same plan id and leaves its state alone. */
  async propose(plan: RemediationPlan, now: Date): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...planKey(plan.id),
            plan: { S: JSON.stringify(plan) },
            state: { S: 'proposed' },
            eventId: { S: plan.eventId },
            proposedAt: { N: String(seconds(now)) },
            expiresAt: { N: String(seconds(now) + PROPOSAL_DAYS * 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * False when this request was seen before: a replay, whatever its timestamp says. It is known by what
   * Slack signed (timestamp and body), not by the signature header's text, which can be written more ways
   * than one and still verify.
   */
  async firstUse(timestamp: string, rawBody: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            id: { S: `slack-request:${jsonSha256([timestamp, rawBody])}` },
            expiresAt: { N: String(seconds(now) + REPLAY_MEMORY_SECONDS) },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async load(planId: string): Promise<StoredPlan | null> {
    const got = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: planKey(planId), ConsistentRead: true }));
    return got.Item ? storedPlanOf(got.Item) : null;
  }

  /**
   * @example await store.claim(planId, 'apply', 'U0123ABCD', false, context) // { go: true, approvers: ['U0123ABCD'] }
   * Every approval of an apply, first or second, is refused once the plan is older than the limit.
   */
  async claim(
    planId: string,
    kind: 'apply' | 'rollback',
    userId: string,
    secondRequired: boolean,
    context: ClaimContext,
  ): Promise<ClaimResult> {
    const replyTo = {
      set: `responseUrl = :url${context.messageTs ? ', messageTs = :ts' : ''}`,
      values: { ':url': { S: context.responseUrl }, ...(context.messageTs ? { ':ts': { S: context.messageTs } } : {}) },
    };
    if (kind === 'rollback') {
      const rolled = await this.move(planId, 'applied', 'rolling-back', {
        set: `rollbackBy = :user, ${replyTo.set}`,
        values: { ':user': { S: userId }, ...replyTo.values },
      });
      return rolled ? { go: true, approvers: [userId] } : this.refusal(planId, kind, userId, context);
    }
    const fresh = {
      condition: 'proposedAt >= :oldest',
      values: { ':oldest': { N: String(seconds(context.now) - context.maxAgeSeconds) } },
    };
    const first: Move = {
      set: `approvers = :user, ${replyTo.set}`,
      remove: 'expiresAt',
      condition: fresh.condition,
      values: { ':user': { L: [{ S: userId }] }, ...replyTo.values, ...fresh.values },
    };
    if (!secondRequired) {
      const started = await this.move(planId, 'proposed', 'applying', first);
      return started ? { go: true, approvers: started.approvers } : this.refusal(planId, kind, userId, context);
    }
    if (await this.move(planId, 'proposed', 'awaiting-second', first)) {
      return { go: false, waitingForSecond: true, reason: 'a second approver is needed for this plan' };
    }
    const second = await this.move(planId, 'awaiting-second', 'applying', {
      set: `approvers = list_append(approvers, :user), ${replyTo.set}`,
      condition: `NOT contains(approvers, :one) AND ${fresh.condition}`,
      values: { ':user': { L: [{ S: userId }] }, ':one': { S: userId }, ...replyTo.values, ...fresh.values },
    });
    return second ? { go: true, approvers: second.approvers } : this.refusal(planId, kind, userId, context);
  }

  /**
   * The remediator's own claim on a job: written once, so a second delivery of the same invocation (or a
   * retry) finds it taken and does nothing. Only the remediator's role may write `remediator:` keys.
   */
  async takeJob(planId: string, kind: 'apply' | 'rollback', now: Date): Promise<boolean> {
    return this.putOnce({ ...remediatorKey(planId, kind), at: { S: now.toISOString() } });
  }

  /** What the remediator read before writing and what it wrote: the only source a rollback trusts. */
  async keepApplied(planId: string, steps: AppliedStep[]): Promise<void> {
    if (!(await this.putOnce({ ...remediatorKey(planId, 'applied'), steps: { S: JSON.stringify(steps) } }))) {
      throw new Error(`plan ${planId} already has a record of what was applied`);
    }
  }

  async appliedSteps(planId: string): Promise<AppliedStep[] | null> {
    const got = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: remediatorKey(planId, 'applied'), ConsistentRead: true }),
    );
    return got.Item?.steps?.S ? (JSON.parse(got.Item.steps.S) as AppliedStep[]) : null;
  }

  /** The end of an apply or a rollback: only from the state its claim set. */
  async settle(planId: string, from: 'applying' | 'rolling-back', to: PlanState, detail: string): Promise<void> {
    const moved = await this.move(planId, from, to, { set: 'detail = :detail', values: { ':detail': { S: detail } } });
    if (!moved) throw new Error(`plan ${planId} was not ${from} when its outcome (${to}) was recorded`);
  }

  /** An audit entry is written once and never overwritten: a second entry with the same key is an error. */
  async audit(entry: AuditEntry): Promise<void> {
    const written = await this.putOnce({
      id: { S: `audit:${entry.planId}:${entry.at}:${entry.event}` },
      planId: { S: entry.planId },
      event: { S: entry.event },
      at: { S: entry.at },
      approver: { S: entry.approver },
      entry: { S: JSON.stringify(entry) },
    });
    if (!written) throw new Error(`an audit entry ${entry.event} for plan ${entry.planId} at ${entry.at} exists already`);
  }

  /** A put that never replaces an item: false when one with that key exists. */
  private async putOnce(item: Record<string, AttributeValue>): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** One state change, made only if the plan is still in `from`; null when it was not. */
  private async move(planId: string, from: PlanState, to: PlanState, change: Move = {}): Promise<StoredPlan | null> {
    try {
      const updated = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: planKey(planId),
          UpdateExpression: `SET #state = :to${change.set ? `, ${change.set}` : ''}${change.remove ? ` REMOVE ${change.remove}` : ''}`,
          ConditionExpression: `#state = :from${change.condition ? ` AND ${change.condition}` : ''}`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ...change.values, ':from': { S: from }, ':to': { S: to } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return updated.Attributes ? storedPlanOf(updated.Attributes) : null;
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  private async refusal(planId: string, kind: 'apply' | 'rollback', userId: string, context: ClaimContext): Promise<ClaimResult> {
    const stored = await this.load(planId);
    const refused = (reason: string): ClaimResult => ({ go: false, waitingForSecond: false, reason });
    if (!stored) return refused('no such plan: it expired or was never proposed');
    if (kind === 'apply' && planAgeSeconds(stored.plan, context.now) > context.maxAgeSeconds) {
      return refused(`the plan is older than ${Math.round(context.maxAgeSeconds / 3600)} h: make a new one from a fresh diagnosis`);
    }
    if (stored.state === 'awaiting-second' && stored.approvers.includes(userId)) {
      return { go: false, waitingForSecond: true, reason: 'you approved it already: a second, different approver is needed' };
    }
    if (kind === 'rollback') return refused(`there is nothing applied to roll back (the plan is ${stored.state})`);
    return refused(`the plan is ${stored.state}${stored.approvers.length > 0 ? ` (approved by ${stored.approvers.join(', ')})` : ''}`);
  }
}

function storedPlanOf(item: Record<string, AttributeValue>): StoredPlan {
  return {
    plan: JSON.parse(item.plan?.S ?? 'null') as RemediationPlan,
    state: (item.state?.S ?? 'proposed') as PlanState,
    approvers: (item.approvers?.L ?? []).flatMap((v) => (v.S ? [v.S] : [])),
    responseUrl: item.responseUrl?.S ?? null,
    messageTs: item.messageTs?.S ?? null,
    rollbackBy: item.rollbackBy?.S ?? null,
  };
}

/** How old a plan is by its own createdAt: a plan whose time cannot be read counts as too old. */
export function planAgeSeconds(plan: RemediationPlan, now: Date): number {
  const created = Date.parse(plan.createdAt);
  return Number.isNaN(created) ? Number.POSITIVE_INFINITY : (now.getTime() - created) / 1000;
}
