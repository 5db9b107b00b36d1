/**
 * Plans waiting for approval, the approvals themselves, and the audit trail, in the service's own DynamoDB
 * table (point-in-time recovery on). A plan moves through its states only by conditional writes, so two
 * clicks, two approvers or a replayed request can never start the same change twice:
 *   proposed → [awaiting-second →] applying → applied | refused | rolled-back | failed
 *   applied → rolling-back → rolled-back-on-request | applied (refused: someone changed it since)
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
import type { RemediationPlan } from '../model/remediationPlan';
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
            expiresAt: { N: String(Math.floor(now.getTime() / 1000) + PROPOSAL_DAYS * 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** False when this exact signed request was seen before: a replay, whatever its timestamp says. */
  async firstUse(signature: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            id: { S: `slack-request:${jsonSha256(signature)}` },
            expiresAt: { N: String(Math.floor(now.getTime() / 1000) + REPLAY_MEMORY_SECONDS) },
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

  /** @example await store.claim(planId, 'apply', 'U0123ABCD', false) // { go: true, approvers: ['U0123ABCD'] } */
  async claim(planId: string, kind: 'apply' | 'rollback', userId: string, secondRequired: boolean): Promise<ClaimResult> {
    if (kind === 'rollback') {
      const rolled = await this.move(planId, 'applied', 'rolling-back', { set: 'rollbackBy = :user', values: { ':user': { S: userId } } });
      return rolled ? { go: true, approvers: [userId] } : this.refusal(planId, kind, userId);
    }
    const first: Move = { set: 'approvers = :user', remove: 'expiresAt', values: { ':user': { L: [{ S: userId }] } } };
    if (!secondRequired) {
      const started = await this.move(planId, 'proposed', 'applying', first);
      return started ? { go: true, approvers: started.approvers } : this.refusal(planId, kind, userId);
    }
    if (await this.move(planId, 'proposed', 'awaiting-second', first)) {
      return { go: false, waitingForSecond: true, reason: 'a second approver is needed for this plan' };
    }
    const second = await this.move(planId, 'awaiting-second', 'applying', {
      set: 'approvers = list_append(approvers, :user)',
      condition: 'NOT contains(approvers, :one)',
      values: { ':user': { L: [{ S: userId }] }, ':one': { S: userId } },
    });
    return second ? { go: true, approvers: second.approvers } : this.refusal(planId, kind, userId);
  }

  /** The end of an apply or a rollback: only from the state its claim set. */
  async settle(planId: string, from: 'applying' | 'rolling-back', to: PlanState, detail: string): Promise<void> {
    const moved = await this.move(planId, from, to, { set: 'detail = :detail', values: { ':detail': { S: detail } } });
    if (!moved) throw new Error(`plan ${planId} was not ${from} when its outcome (${to}) was recorded`);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          id: { S: `audit:${entry.planId}:${entry.at}:${entry.event}` },
          planId: { S: entry.planId },
          event: { S: entry.event },
          at: { S: entry.at },
          approver: { S: entry.approver },
          entry: { S: JSON.stringify(entry) },
        },
      }),
    );
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

  private async refusal(planId: string, kind: 'apply' | 'rollback', userId: string): Promise<ClaimResult> {
    const stored = await this.load(planId);
    const refused = (reason: string): ClaimResult => ({ go: false, waitingForSecond: false, reason });
    if (!stored) return refused('no such plan: it expired or was never proposed');
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
  };
}
