/**
 * AWS as the collectors see it, answering from a snapshot: every SDK client is mocked at module scope with
 * aws-sdk-client-mock, and each answer is what the real API returns for that account state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  GetGroupPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  DescribeOrganizationCommand,
  ListRootsCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../../lambda/collect/awsClients';
import type { CollectorDeps } from '../../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { TtlCache } from '../../lambda/collect/TtlCache';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import type { DeniedRequest } from '../../lambda/model/request';
import type { AccountSnapshot, PublicAccessBlock } from '../../lambda/model/snapshot';

export const aws = {
  iam: mockClient(IAMClient),
  s3: mockClient(S3Client),
  s3control: mockClient(S3ControlClient),
  kms: mockClient(KMSClient),
  organizations: mockClient(OrganizationsClient),
  ec2: mockClient(EC2Client),
  cloudtrail: mockClient(CloudTrailClient),
};

export function resetAws(): void {
  for (const client of Object.values(aws)) client.reset();
}

/** An SDK service error as the SDK raises it: what the collectors narrow on is its name. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** The organizations' management account: none of the scenarios' callers or bucket owners. */
export const MANAGEMENT = '999988887777';

const encode = (document: unknown) => encodeURIComponent(JSON.stringify(document));

function pab(block: PublicAccessBlock | null | undefined) {
  return block
    ? {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: block.blockPublicAcls,
          IgnorePublicAcls: block.ignorePublicAcls,
          BlockPublicPolicy: block.blockPublicPolicy,
          RestrictPublicBuckets: block.restrictPublicBuckets,
        },
      }
    : undefined;
}

/** A user's groups and their policies, from the snapshot's group-inline and group-managed entries. */
function answerGroups(policies: NonNullable<AccountSnapshot['principal']['policies']>): void {
  const ofGroups = policies.filter((p) => p.source === 'group-inline' || p.source === 'group-managed');
  const groups = [...new Set(ofGroups.map((p) => p.group ?? ''))];
  aws.iam.on(ListGroupsForUserCommand).resolves({ Groups: groups.map((GroupName) => ({ GroupName }) as never), IsTruncated: false });
  for (const group of groups) {
    const inline = ofGroups.filter((p) => p.group === group && p.source === 'group-inline');
    const managed = ofGroups.filter((p) => p.group === group && p.source === 'group-managed');
    aws.iam.on(ListGroupPoliciesCommand, { GroupName: group }).resolves({ PolicyNames: inline.map((p) => p.name), IsTruncated: false });
    for (const policy of inline)
      aws.iam
        .on(GetGroupPolicyCommand, { GroupName: group, PolicyName: policy.name })
        .resolves({ GroupName: group, PolicyName: policy.name, PolicyDocument: encode(policy.document) });
    aws.iam
      .on(ListAttachedGroupPoliciesCommand, { GroupName: group })
      .resolves({ AttachedPolicies: managed.map((p) => ({ PolicyArn: p.arn, PolicyName: p.name })), IsTruncated: false });
    for (const policy of managed) {
      aws.iam.on(GetPolicyCommand, { PolicyArn: policy.arn }).resolves({ Policy: { PolicyName: policy.name, DefaultVersionId: 'v3' } });
      aws.iam
        .on(GetPolicyVersionCommand, { PolicyArn: policy.arn, VersionId: 'v3' })
        .resolves({ PolicyVersion: { Document: encode(policy.document), IsDefaultVersion: true } });
    }
  }
}

function answerPrincipal(snapshot: AccountSnapshot): void {
  const principal = snapshot.principal;
  const name = principal.arn?.split('/').pop() ?? '';
  const inline = (principal.policies ?? []).filter((p) => p.source === 'inline');
  const managed = (principal.policies ?? []).filter((p) => p.source === 'managed');
  const boundary = principal.permissionsBoundary;
  for (const policy of [...managed, ...(boundary?.arn ? [boundary] : [])]) {
    aws.iam.on(GetPolicyCommand, { PolicyArn: policy.arn }).resolves({ Policy: { PolicyName: policy.name, DefaultVersionId: 'v3' } });
    aws.iam
      .on(GetPolicyVersionCommand, { PolicyArn: policy.arn, VersionId: 'v3' })
      .resolves({ PolicyVersion: { Document: encode(policy.document), IsDefaultVersion: true } });
  }
  const tags = Object.entries(principal.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const boundaryRef = boundary?.arn
    ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const, PermissionsBoundaryArn: boundary.arn } }
    : {};
  if (principal.kind === 'role') {
    aws.iam.on(GetRoleCommand, { RoleName: name }).resolves({
      Role: {
        Arn: principal.arn ?? '',
        RoleName: name,
        RoleId: 'AROAEXAMPLE',
        Path: '/',
        CreateDate: new Date(0),
        Tags: tags,
        ...boundaryRef,
      },
    });
    aws.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: inline.map((p) => p.name), IsTruncated: false });
    for (const policy of inline)
      aws.iam
        .on(GetRolePolicyCommand, { PolicyName: policy.name })
        .resolves({ RoleName: name, PolicyName: policy.name, PolicyDocument: encode(policy.document) });
    aws.iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: managed.map((p) => ({ PolicyArn: p.arn, PolicyName: p.name })), IsTruncated: false });
  }
  // A federated user's session is its IAM user's, read as the user.
  if (principal.kind === 'user' || principal.kind === 'federated-user') {
    aws.iam.on(GetUserCommand, { UserName: name }).resolves({
      User: {
        Arn: principal.arn ?? '',
        UserName: name,
        UserId: 'AIDAEXAMPLE',
        Path: '/',
        CreateDate: new Date(0),
        Tags: tags,
        ...boundaryRef,
      },
    });
    aws.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: inline.map((p) => p.name), IsTruncated: false });
    for (const policy of inline)
      aws.iam
        .on(GetUserPolicyCommand, { PolicyName: policy.name })
        .resolves({ UserName: name, PolicyName: policy.name, PolicyDocument: encode(policy.document) });
    aws.iam
      .on(ListAttachedUserPoliciesCommand)
      .resolves({ AttachedPolicies: managed.map((p) => ({ PolicyArn: p.arn, PolicyName: p.name })), IsTruncated: false });
    answerGroups(principal.policies ?? []);
  }
}

function answerBucket(snapshot: AccountSnapshot): void {
  const bucket = snapshot.bucket;
  if (bucket.policy) aws.s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(bucket.policy) });
  else aws.s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist'));
  if (bucket.objectOwnership)
    aws.s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: bucket.objectOwnership }] } });
  else aws.s3.on(GetBucketOwnershipControlsCommand).rejects(awsError('OwnershipControlsNotFoundError'));
  const block = pab(bucket.publicAccessBlock);
  if (block) aws.s3.on(GetPublicAccessBlockCommand).resolves(block);
  else aws.s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
  const accountBlock = pab(bucket.accountPublicAccessBlock);
  if (accountBlock) aws.s3control.on(GetAccountPublicAccessBlockCommand).resolves(accountBlock);
  else aws.s3control.on(GetAccountPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration'));
  const defaults = bucket.defaultEncryption;
  if (defaults?.sseAlgorithm) {
    aws.s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: defaults.sseAlgorithm, KMSMasterKeyID: defaults.kmsMasterKeyId },
            BucketKeyEnabled: defaults.bucketKeyEnabled,
          },
        ],
      },
    });
  }
  aws.s3.on(GetBucketAclCommand).resolves({
    Owner: { ID: bucket.ownerCanonicalId },
    Grants: (bucket.acl?.grants ?? []).map((g) => ({
      Grantee: { Type: g.grantee.type as 'CanonicalUser', ID: g.grantee.id, URI: g.grantee.uri },
      Permission: g.permission as 'FULL_CONTROL',
    })),
  });
}

function answerKeys(snapshot: AccountSnapshot): void {
  for (const key of snapshot.kmsKeys ?? []) {
    const keyId = key.arn.split('/').pop() ?? '';
    for (const reference of [key.arn, keyId, ...(key.aliases ?? [])]) {
      aws.kms.on(DescribeKeyCommand, { KeyId: reference }).resolves({
        KeyMetadata: {
          Arn: key.arn,
          KeyId: keyId,
          AWSAccountId: key.accountId,
          KeyManager: key.keyManager,
          KeyState: key.keyState as 'Enabled',
        },
      });
    }
    aws.kms.on(GetKeyPolicyCommand, { KeyId: key.arn }).resolves({ Policy: JSON.stringify(key.policy), PolicyName: 'default' });
    aws.kms.on(ListGrantsCommand, { KeyId: key.arn }).resolves({ Grants: [], Truncated: false });
    aws.kms.on(ListResourceTagsCommand, { KeyId: key.arn }).resolves({
      Tags: Object.entries(key.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      Truncated: false,
    });
    aws.kms
      .on(ListAliasesCommand, { KeyId: keyId })
      .resolves({ Aliases: (key.aliases ?? []).map((AliasName) => ({ AliasName })), Truncated: false });
  }
}

/** Level labels in the snapshots start with the target id ("ou-ab12-wkld0001 (Workloads)"). */
function answerOrganization(snapshot: AccountSnapshot): void {
  const org = snapshot.organization;
  if (!org) {
    aws.organizations.on(ListRootsCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    aws.organizations.on(DescribeOrganizationCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    return;
  }
  aws.organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: org.id, MasterAccountId: MANAGEMENT } });
  // An account or level the organization does not hold answers as Organizations does: not found.
  aws.organizations.on(ListParentsCommand).rejects(awsError('ChildNotFoundException'));
  aws.organizations.on(ListPoliciesForTargetCommand).rejects(awsError('TargetNotFoundException'));
  const chain = (org.scpLevels ?? []).map((level) => level.target.split(' ')[0] ?? '');
  // A snapshot lists a layer's levels only when its policy type is enabled in the root.
  const enabled = [
    ...(org.scpLevels?.length ? [{ Type: 'SERVICE_CONTROL_POLICY' as const, Status: 'ENABLED' as const }] : []),
    ...(org.rcpLevels?.length ? [{ Type: 'RESOURCE_CONTROL_POLICY' as const, Status: 'ENABLED' as const }] : []),
  ];
  const rootId = chain[0] ?? 'r-none';
  aws.organizations.on(ListRootsCommand).resolves({
    Roots: [{ Id: rootId, Arn: `arn:aws:organizations::${MANAGEMENT}:root/${org.id ?? 'o-unknown0000'}/${rootId}`, PolicyTypes: enabled }],
  });
  // A KMS key kept in another account brings that account's place in the hierarchy, and the RCPs above it.
  const keyChains = (snapshot.kmsKeys ?? []).flatMap((key) =>
    key.rcpLevels ? [{ chain: key.rcpLevels.map((level) => level.target.split(' ')[0] ?? ''), levels: key.rcpLevels }] : [],
  );
  for (const each of [chain, ...keyChains.map((k) => k.chain)]) {
    each.forEach((id, i) => {
      const parent = each[i - 1];
      if (parent)
        aws.organizations
          .on(ListParentsCommand, { ChildId: id })
          .resolves({ Parents: [{ Id: parent, Type: i - 1 === 0 ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });
    });
  }
  for (const [filter, levels, ids] of [
    ['SERVICE_CONTROL_POLICY', org.scpLevels ?? [], chain],
    ['RESOURCE_CONTROL_POLICY', org.rcpLevels ?? [], chain],
    ...keyChains.map((k) => ['RESOURCE_CONTROL_POLICY', k.levels, k.chain] as const),
  ] as const) {
    // AWS attaches RCPFullAWSAccess to every root, OU and account, and it cannot be detached; snapshots
    // often list it at the root only.
    const everywhere = filter === 'RESOURCE_CONTROL_POLICY' ? (levels[0]?.policies.filter((p) => p.name === 'RCPFullAWSAccess') ?? []) : [];
    for (const id of ids) {
      const level = levels.find((l) => l.target.startsWith(`${id} `));
      const policies = level?.policies ?? everywhere;
      aws.organizations
        .on(ListPoliciesForTargetCommand, { TargetId: id, Filter: filter })
        .resolves({ Policies: policies.map((p) => ({ Id: p.id, Name: p.name })) });
      for (const policy of policies)
        aws.organizations
          .on(DescribePolicyCommand, { PolicyId: policy.id })
          .resolves({ Policy: { Content: JSON.stringify(policy.document) } });
    }
  }
}

function answerEndpointsAndSession(snapshot: AccountSnapshot, request: DeniedRequest): void {
  for (const endpoint of snapshot.vpcEndpoints ?? []) {
    aws.ec2.on(DescribeVpcEndpointsCommand, { VpcEndpointIds: [endpoint.id] }).resolves({
      VpcEndpoints: [
        {
          VpcEndpointId: endpoint.id,
          ...(endpoint.vpcId ? { VpcId: endpoint.vpcId } : {}),
          ServiceName: endpoint.serviceName,
          VpcEndpointType: endpoint.type as 'Gateway',
          PolicyDocument: JSON.stringify(endpoint.policy),
        },
      ],
    });
  }
  const assumeRole = {
    eventName: 'AssumeRole',
    requestParameters: {
      roleArn: request.caller.arn,
      roleSessionName: request.caller.sessionName,
      ...(snapshot.session?.policies?.[0] ? { policy: JSON.stringify(snapshot.session.policies[0].document) } : {}),
      ...(snapshot.session?.tags ? { tags: Object.entries(snapshot.session.tags).map(([key, value]) => ({ key, value })) } : {}),
    },
    responseElements: { assumedRoleUser: { arn: request.caller.sessionArn }, credentials: { accessKeyId: request.caller.accessKeyId } },
  };
  aws.cloudtrail.on(LookupEventsCommand).resolves({ Events: [{ EventName: 'AssumeRole', CloudTrailEvent: JSON.stringify(assumeRole) }] });
}

/** Makes every mocked client answer as the account in `snapshot` would. */
export function answerFrom(snapshot: AccountSnapshot, request: DeniedRequest): void {
  answerPrincipal(snapshot);
  answerBucket(snapshot);
  answerKeys(snapshot);
  answerOrganization(snapshot);
  answerEndpointsAndSession(snapshot, request);
}

/** Real SDK clients; their `send` is what aws-sdk-client-mock answers. */
export function fakeClients(home = 'us-east-1'): AwsClients {
  const config = { region: home, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } };
  return {
    iam: new IAMClient(config),
    s3: new S3Client(config),
    s3control: new S3ControlClient(config),
    kms: (region) => new KMSClient({ ...config, region }),
    organizations: new OrganizationsClient(config),
    ec2: async (region) => new EC2Client({ ...config, region }),
    cloudtrail: (region) => new CloudTrailClient({ ...config, region }),
  };
}

/** One of the project's worked scenarios: its first request, and the account its snapshot describes. */
export function ownScenario(dir: string): { request: DeniedRequest; account: AccountSnapshot } {
  return {
    request: parseEvent(readEventDocument(readFileSync(join(dir, 'event.json')))).requests[0]!,
    account: parseSnapshot(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8'))),
  };
}

/**
 * The same request as S3 answers it without saying why (to a caller outside the organization, say): a bare
 * AccessDenied, for which only the KMS call's own record can tell more.
 */
export function asBareAccessDenied(request: DeniedRequest): DeniedRequest {
  return { ...request, event: { ...request.event, errorCode: 'AccessDenied', errorMessage: 'Access Denied' }, blame: null };
}

/** The collectors' dependencies, every account answered by the same fake clients, at the scenarios' time. */
export function fakeCollectorDeps(homeAccountId: string, overrides: Partial<CollectorDeps> = {}): CollectorDeps {
  const clients = fakeClients();
  return {
    homeAccountId,
    region: 'us-east-1',
    clientsFor: () => clients,
    cache: new TtlCache(60_000),
    lookupBudget: oneBudget(new RateLimiter(10, 2_000)),
    now: () => new Date('2026-11-20T09:15:09Z'),
    ...overrides,
  };
}
