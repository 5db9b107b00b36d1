/**
 * The contract's word for who called, from CloudTrail's `userIdentity.type`. An unauthenticated S3 request is
 * logged as `AWSAccount` with the account id `anonymous`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
import type { Caller, CallerType } from '../model/request';
import type { PrincipalKind } from '../model/snapshot';

const KIND_OF_TYPE: Record<CallerType, PrincipalKind> = {
  AssumedRole: 'role',
  IAMUser: 'user',
  Root: 'root',
  FederatedUser: 'federated-user',
  AWSService: 'service',
  AWSAccount: 'account',
  Unknown: 'unknown',
};

export function principalKindOf(caller: Pick<Caller, 'type' | 'accountId'>): PrincipalKind {
  if (caller.accountId === 'anonymous') return 'anonymous';
  return KIND_OF_TYPE[caller.type];
}
