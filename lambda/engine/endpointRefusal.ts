/**
 * A call a VPC endpoint's policy refused, as the endpoint owner's network activity event records it. AWS
 * names the endpoint, the caller and the call, and says the endpoint's policy decided (VpceAccessDenied);
 * it does not log the bucket, key or KMS key. So this says what the policy lets this caller do with this
 * call, and which statements, rather than evaluate a resource no one knows.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
import { VPC_ENDPOINT_DENIAL } from '../events/denialErrorCodes';
import { S3_WRITE_EVENTS } from '../events/cloudTrailRecord';
import { refusedAtEndpointUnseen } from '../events/refusedAtEndpoint';
import type { DecidingLayer, Fix } from '../model/diagnosis';
import { oneLine } from '../model/inertText';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { evaluatePolicy, type TracedStatement } from '../policy/evaluatePolicy';
import { listOf } from '../policy/listOf';
import { shellQuote } from '../fixes/shellQuote';
import { requestPrincipal } from './requiredAuthorizations';

/** The resource of a refusal AWS logged without one. */
export const RESOURCE_NOT_LOGGED = '(not logged)';

export interface EndpointRefusal {
  deciding: DecidingLayer;
  fix: Fix;
}

/** The permission the refused call needed: S3's upload calls all need s3:PutObject. */
function actionOf(request: DeniedRequest): string {
  if (request.service === 'kms') return `kms:${request.event.name}`;
  return S3_WRITE_EVENTS.has(request.event.name) ? 's3:PutObject' : `s3:${request.event.name}`;
}

const named = (s: TracedStatement) => (s.sid ? `"${s.sid}"` : `#${s.index + 1}`);

function resourcesOf(statements: TracedStatement[]): string {
  return [...new Set(statements.flatMap((s) => listOf(s.statement.Resource ?? s.statement.NotResource)))].join(', ') || 'no resource';
}

function readPolicyCommand(endpointId: string, region: string): string {
  return `aws ec2 describe-vpc-endpoints --region ${shellQuote(region)} --vpc-endpoint-ids ${shellQuote(endpointId)} --query 'VpcEndpoints[0].PolicyDocument' --output text`;
}

/**
 * @returns the diagnosis of an endpoint refusal whose resource AWS did not log, or null for any other
 * record (a refusal with its bucket known is evaluated like every request)
 */
export function endpointRefusalOf(request: DeniedRequest, snapshot: AccountSnapshot): EndpointRefusal | null {
  if (!refusedAtEndpointUnseen(request)) return null;
  const endpointId = request.vpcEndpointId ?? 'the VPC endpoint';
  const action = actionOf(request);
  const principal = requestPrincipal(request);
  const who = oneLine(principal.roleArn ?? principal.arn);
  const owner = { owner: 'account-admin' as const, ...(request.recipientAccountId ? { account: request.recipientAccountId } : {}) };
  const policyRef = { kind: 'VPC endpoint policy', name: endpointId };
  const refused = (decision: DecidingLayer['decision'], explanation: string, statement: TracedStatement | null = null): DecidingLayer => ({
    layer: 'vpc-endpoint-policy',
    action,
    resource: RESOURCE_NOT_LOGGED,
    decision,
    policy: policyRef,
    statement: statement ? { sid: statement.sid, index: statement.index, body: statement.statement } : null,
    conditions: statement?.conditions ?? [],
    explanation: `AWS refused ${action} from ${who} at VPC endpoint ${endpointId} (${VPC_ENDPOINT_DENIAL}): the endpoint's policy decided, and AWS does not log which ${request.service === 's3' ? 'bucket or key' : 'key'} the call named. ${explanation}`,
  });
  const endpoint = snapshot.vpcEndpoints?.find((e) => e.id === request.vpcEndpointId);
  if (!endpoint?.policy) {
    const unseen = snapshot.unseen.find((u) => u.layer === 'vpc-endpoint-policy')?.reason ?? 'it is not in the snapshot';
    return {
      deciding: refused('implicit-deny', endpoint ? 'Its policy was not returned.' : `Its policy could not be read: ${unseen}.`),
      fix: {
        summary: `Read the policy of ${endpointId} and allow ${action} for ${who} on the resource the job uses.`,
        ...owner,
        ...(request.vpcEndpointId ? { command: readPolicyCommand(request.vpcEndpointId, request.region) } : {}),
      },
    };
  }
  // Matched with a resource nothing names: each statement's action and principal still say whom it is for.
  const traced = evaluatePolicy(
    endpoint.policy,
    { principal, action, resource: RESOURCE_NOT_LOGGED, context: request.context },
    { principalRequired: true },
  ).statements.filter((s) => s.actionMatched && s.principalMatched);
  const denies = traced.filter((s) => s.effect === 'Deny');
  const allows = traced.filter((s) => s.effect === 'Allow');
  const everywhere = denies.find((s) => s.result === 'match');
  if (everywhere) {
    return {
      deciding: refused('explicit-deny', `Statement ${named(everywhere)} denies it on every resource.`, everywhere),
      fix: {
        summary: `Statement ${named(everywhere)} of the policy of ${endpointId} denies ${action} to ${who} whatever the resource: narrow it if this job should pass through the endpoint.`,
        ...owner,
        command: readPolicyCommand(endpointId, request.region),
      },
    };
  }
  if (allows.length === 0) {
    return {
      deciding: refused('implicit-deny', `No statement of its policy allows ${action} for ${who}.`),
      fix: {
        summary: `Add a statement to the policy of ${endpointId} that allows ${action} for ${who} on the resource the job uses (AWS did not log it; the uploader's configuration names it).`,
        ...owner,
        command: readPolicyCommand(endpointId, request.region),
      },
    };
  }
  const limits = denies.length > 0 ? ` Statements ${denies.map(named).join(', ')} deny it on ${resourcesOf(denies)}.` : '';
  return {
    deciding: refused(
      'implicit-deny',
      `${allows.length === 1 ? 'Its statement' : 'Its statements'} ${allows.map(named).join(', ')} ${allows.length === 1 ? 'allows' : 'allow'} ${action} for ${who} only on ${resourcesOf(allows)}: the call was for something else.${limits}`,
      allows[0] ?? null,
    ),
    fix: {
      summary: `If the job should reach another ${request.service === 's3' ? 'bucket' : 'key'} through ${endpointId}, add its ARN to statement ${named(allows[0]!)} of the endpoint's policy; otherwise point the job at ${resourcesOf(allows)}.`,
      ...owner,
      command: readPolicyCommand(endpointId, request.region),
    },
  };
}
