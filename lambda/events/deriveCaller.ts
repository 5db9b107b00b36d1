/**
 * Who made the call, from `userIdentity`. The bucket owner's copy of a cross-account record names only the
 * caller's account (`type: AWSAccount`); the caller's ARN is then only in the enhanced error message.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
import { accountRootArn, partitionOfRegion } from '../policy/arns';
import type { AwsBlame, Caller, CallerType } from '../model/request';
import type { CloudTrailRecord } from './cloudTrailRecord';

const ASSUMED_ROLE = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const CALLER_TYPES: CallerType[] = ['AssumedRole', 'IAMUser', 'Root', 'FederatedUser', 'AWSAccount', 'AWSService'];

/** `arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R`. The role's path is not in a session ARN. */
export function roleArnOfSession(sessionArn: string): string | null {
  const match = ASSUMED_ROLE.exec(sessionArn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : null;
}

function sessionNameOf(sessionArn: string | null, principalId: string | null): string | null {
  const fromArn = sessionArn ? ASSUMED_ROLE.exec(sessionArn)?.[4] : undefined;
  if (fromArn) return fromArn;
  const colon = principalId?.indexOf(':') ?? -1;
  return principalId && colon > 0 ? principalId.slice(colon + 1) : null;
}

function callerFromArn(arn: string | null): Pick<Caller, 'arn' | 'sessionArn' | 'type'> {
  if (!arn) return { arn: null, sessionArn: null, type: 'AWSAccount' };
  const role = roleArnOfSession(arn);
  if (role) return { arn: role, sessionArn: arn, type: 'AssumedRole' };
  if (/:user\//.test(arn)) return { arn, sessionArn: arn, type: 'IAMUser' };
  if (/:root$/.test(arn)) return { arn, sessionArn: arn, type: 'Root' };
  return { arn, sessionArn: arn, type: 'Unknown' };
}

/**
 * `userIdentity.type`, or what the rest of `userIdentity` shows when an export dropped it. An unauthenticated
 * request is logged as an `AWSAccount` whose account id is `anonymous` or `ANONYMOUS_PRINCIPAL`.
 */
function callerTypeOf(identity: CloudTrailRecord['userIdentity']): CallerType {
  if (identity.type !== undefined) return (CALLER_TYPES as string[]).includes(identity.type) ? (identity.type as CallerType) : 'Unknown';
  if (isAnonymous(identity.accountId)) return 'AWSAccount';
  if (identity.arn) return callerFromArn(identity.arn).type;
  if (identity.invokedBy && !identity.principalId) return 'AWSService';
  return 'Unknown';
}

/**
 * S3 writes `anonymous` for an unsigned request in its older records and `ANONYMOUS_PRINCIPAL` in newer ones;
 * either is the one anonymous caller, never an account id.
 */
function isAnonymous(accountId: string | undefined): boolean {
  return accountId === 'anonymous' || accountId === 'ANONYMOUS_PRINCIPAL';
}

export function deriveCaller(record: CloudTrailRecord, blame: AwsBlame | null): Caller {
  const identity = record.userIdentity;
  const accountId = isAnonymous(identity.accountId) ? 'anonymous' : (identity.accountId ?? record.recipientAccountId ?? '');
  const principalId = identity.principalId ?? null;
  const type = callerTypeOf(identity);
  // Every field written in one object literal, in one order: one shape for every caller, which the engine
  // reads on every layer (spreading a shared part cost a tenth of parsing a record).
  const caller = (who: Pick<Caller, 'type' | 'arn' | 'sessionArn' | 'userName' | 'sessionName'>): Caller => ({
    type: who.type,
    arn: who.arn,
    sessionArn: who.sessionArn,
    userName: who.userName,
    sessionName: who.sessionName,
    accountId,
    principalId,
    accessKeyId: identity.accessKeyId ?? null,
    invokedBy: identity.invokedBy ?? null,
    sessionCreatedAt: identity.sessionContext?.attributes?.creationDate ?? null,
  });

  if (type === 'AWSAccount') {
    const fromMessage = callerFromArn(blame?.callerArn ?? null);
    return caller({
      type: fromMessage.type,
      arn: fromMessage.arn,
      sessionArn: fromMessage.sessionArn,
      userName: fromMessage.type === 'IAMUser' ? (fromMessage.arn?.split('/').pop() ?? null) : null,
      sessionName: fromMessage.type === 'AssumedRole' ? sessionNameOf(fromMessage.sessionArn, principalId) : null,
    });
  }
  if (type === 'AssumedRole') {
    const sessionArn = identity.arn ?? null;
    const issuer = identity.sessionContext?.sessionIssuer?.arn ?? (sessionArn ? roleArnOfSession(sessionArn) : null);
    return caller({ type, arn: issuer, sessionArn, userName: null, sessionName: sessionNameOf(sessionArn, principalId) });
  }
  if (type === 'Root') {
    const arn = identity.arn ?? accountRootArn(partitionOfRegion(record.awsRegion), accountId);
    return caller({ type, arn, sessionArn: arn, userName: null, sessionName: null });
  }
  if (type === 'FederatedUser') {
    const issuer = identity.sessionContext?.sessionIssuer?.arn ?? null;
    return caller({ type, arn: issuer, sessionArn: identity.arn ?? null, userName: null, sessionName: null });
  }
  const arn = identity.arn ?? null;
  return caller({ type, arn, sessionArn: arn, userName: identity.userName ?? null, sessionName: null });
}
