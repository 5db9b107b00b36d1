/**
 * The caller's IAM side: the role or user, its inline and attached managed policies (default version), a
 * user's groups' policies, its tags and its permissions boundary.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
 */
import {
  GetGroupPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { Caller } from '../model/request';
import type { AccountSnapshot, AttachedPolicy, NamedPolicy } from '../model/snapshot';
import { managedPolicy } from './managedPolicy';
import { MalformedDocumentError, parsePolicyDocument } from './policyDocument';
import { allPages } from './allPages';
import type { Reading } from './Reading';

type Principal = AccountSnapshot['principal'];

interface PolicySource {
  source: AttachedPolicy['source'];
  group?: string;
  inlineNames: () => Promise<string[] | null | undefined>;
  inlineDocument: (name: string) => Promise<string | null | undefined>;
  attachedArns: () => Promise<string[] | null | undefined>;
}

async function policiesOf(iam: IAMClient, reading: Reading, from: PolicySource): Promise<AttachedPolicy[]> {
  const [inlineNames, attachedArns] = await Promise.all([from.inlineNames(), from.attachedArns()]);
  const group = from.group ? { group: from.group } : {};
  const inline = await Promise.all(
    (inlineNames ?? []).map(async (name) => {
      const text = await from.inlineDocument(name);
      return text ? { source: from.source, name, ...group, document: parsePolicyDocument(text, true) } : undefined;
    }),
  );
  const managedSource = from.source === 'inline' ? 'managed' : 'group-managed';
  const managed = await Promise.all(
    (attachedArns ?? []).map(async (arn) => {
      const policy = await managedPolicy(iam, reading, arn);
      return policy
        ? { source: managedSource as AttachedPolicy['source'], name: policy.name ?? arn, arn, ...group, document: policy.document }
        : undefined;
    }),
  );
  return [...inline, ...managed].filter((p): p is AttachedPolicy => p !== undefined);
}

function rolePolicies(iam: IAMClient, reading: Reading, account: string, roleName: string): PolicySource {
  return {
    source: 'inline',
    inlineNames: () =>
      reading.attempt('identity-policy', 'iam:ListRolePolicies', `${account}:${roleName}`, () =>
        allPages(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.PolicyNames),
      ),
    inlineDocument: async (name) =>
      (
        await reading.attempt('identity-policy', 'iam:GetRolePolicy', `${account}:${roleName}/${name}`, () =>
          iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
        )
      )?.PolicyDocument,
    attachedArns: () =>
      reading.attempt('identity-policy', 'iam:ListAttachedRolePolicies', `${account}:${roleName}`, () =>
        allPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (p) =>
          p.AttachedPolicies?.flatMap((a) => (a.PolicyArn ? [a.PolicyArn] : [])),
        ),
      ),
  };
}

function userPolicies(iam: IAMClient, reading: Reading, account: string, userName: string): PolicySource {
  return {
    source: 'inline',
    inlineNames: () =>
      reading.attempt('identity-policy', 'iam:ListUserPolicies', `${account}:${userName}`, () =>
        allPages(paginateListUserPolicies({ client: iam }, { UserName: userName }), (p) => p.PolicyNames),
      ),
    inlineDocument: async (name) =>
      (
        await reading.attempt('identity-policy', 'iam:GetUserPolicy', `${account}:${userName}/${name}`, () =>
          iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name })),
        )
      )?.PolicyDocument,
    attachedArns: () =>
      reading.attempt('identity-policy', 'iam:ListAttachedUserPolicies', `${account}:${userName}`, () =>
        allPages(paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }), (p) =>
          p.AttachedPolicies?.flatMap((a) => (a.PolicyArn ? [a.PolicyArn] : [])),
        ),
      ),
  };
}

function groupPolicies(iam: IAMClient, reading: Reading, account: string, groupName: string): PolicySource {
  return {
    source: 'group-inline',
    group: groupName,
    inlineNames: () =>
      reading.attempt('identity-policy', 'iam:ListGroupPolicies', `${account}:${groupName}`, () =>
        allPages(paginateListGroupPolicies({ client: iam }, { GroupName: groupName }), (p) => p.PolicyNames),
      ),
    inlineDocument: async (name) =>
      (
        await reading.attempt('identity-policy', 'iam:GetGroupPolicy', `${account}:${groupName}/${name}`, () =>
          iam.send(new GetGroupPolicyCommand({ GroupName: groupName, PolicyName: name })),
        )
      )?.PolicyDocument,
    attachedArns: () =>
      reading.attempt('identity-policy', 'iam:ListAttachedGroupPolicies', `${account}:${groupName}`, () =>
        allPages(paginateListAttachedGroupPolicies({ client: iam }, { GroupName: groupName }), (p) =>
          p.AttachedPolicies?.flatMap((a) => (a.PolicyArn ? [a.PolicyArn] : [])),
        ),
      ),
  };
}

/** Null when there is no boundary; undefined when it could not be read. */
function boundaryOf(iam: IAMClient, reading: Reading, arn: string | undefined): Promise<NamedPolicy | null | undefined> {
  return arn ? managedPolicy(iam, reading, arn) : Promise.resolve(null);
}

/** Reads started together are awaited together, so none is left unhandled; a failure of any one still throws. */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

/**
 * @example await collectPrincipal(iam, caller, reading)
 */
export async function collectPrincipal(iam: IAMClient, caller: Caller, reading: Reading): Promise<Principal> {
  const unknown: Principal = {
    arn: caller.arn,
    kind: 'unknown',
    accountId: caller.accountId,
    tags: null,
    policies: null,
    permissionsBoundary: null,
  };
  if (!caller.arn) {
    reading.markUnseen('identity-policy', 'CloudTrail names only the caller’s account, not the principal');
    return unknown;
  }
  const name = caller.arn.split('/').pop() ?? '';
  try {
    if (caller.type === 'AssumedRole') {
      // The role's name is in the ARN: its policies are listed beside GetRole, not after it.
      const roleRead = reading.attempt('identity-policy', 'iam:GetRole', caller.arn, () =>
        iam.send(new GetRoleCommand({ RoleName: name })),
      );
      const [found, listed, boundaryRead] = await Promise.allSettled([
        roleRead,
        policiesOf(iam, reading, rolePolicies(iam, reading, caller.accountId, name)),
        roleRead.then((role) => boundaryOf(iam, reading, role?.Role?.PermissionsBoundary?.PermissionsBoundaryArn)),
      ]);
      const role = settledValue(found);
      if (!role?.Role) return unknown;
      const policies = settledValue(listed);
      const boundary = settledValue(boundaryRead);
      if (boundary === undefined) reading.markUnseen('permissions-boundary', 'the permissions boundary policy could not be read');
      return {
        arn: role.Role.Arn ?? caller.arn,
        principalId: role.Role.RoleId,
        kind: 'role',
        accountId: caller.accountId,
        tags: tagsOf(role.Role.Tags),
        policies,
        permissionsBoundary: boundary ?? null,
      };
    }
    // A federated user's session holds the policies of the IAM user that called GetFederationToken, cut down
    // by the session policy it passed: the user is read as for its own calls.
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
    const federatedByUser = caller.type === 'FederatedUser' && caller.arn.includes(':user/');
    if (caller.type === 'IAMUser' || federatedByUser) {
      // The user's name is in the ARN: its groups and policies are read beside GetUser.
      const userRead = reading.attempt('identity-policy', 'iam:GetUser', caller.arn, () =>
        iam.send(new GetUserCommand({ UserName: name })),
      );
      const groupsRead = reading.attempt('identity-policy', 'iam:ListGroupsForUser', caller.arn, () =>
        allPages(paginateListGroupsForUser({ client: iam }, { UserName: name }), (p) =>
          p.Groups?.flatMap((g) => (g.GroupName ? [g.GroupName] : [])),
        ),
      );
      const [found, ownPolicies, groupPolicyLists, boundaryRead] = await Promise.allSettled([
        userRead,
        policiesOf(iam, reading, userPolicies(iam, reading, caller.accountId, name)),
        groupsRead.then((groups) =>
          Promise.all((groups ?? []).map((g) => policiesOf(iam, reading, groupPolicies(iam, reading, caller.accountId, g)))),
        ),
        userRead.then((user) => boundaryOf(iam, reading, user?.User?.PermissionsBoundary?.PermissionsBoundaryArn)),
      ]);
      const user = settledValue(found);
      if (!user?.User) return unknown;
      const own = settledValue(ownPolicies);
      const fromGroups = settledValue(groupPolicyLists);
      const boundary = settledValue(boundaryRead);
      if (boundary === undefined) reading.markUnseen('permissions-boundary', 'the permissions boundary policy could not be read');
      return {
        arn: user.User.Arn ?? caller.arn,
        principalId: user.User.UserId,
        kind: federatedByUser ? 'federated-user' : 'user',
        accountId: caller.accountId,
        tags: tagsOf(user.User.Tags),
        policies: [...(own ?? []), ...fromGroups.flat()],
        permissionsBoundary: boundary ?? null,
      };
    }
  } catch (error) {
    if (!(error instanceof MalformedDocumentError)) throw error;
    reading.markUnseen('identity-policy', `an identity policy could not be read: ${error.message}`);
    return unknown;
  }
  if (caller.type === 'Root') return { ...unknown, kind: 'root', policies: [] };
  reading.markUnseen('identity-policy', `a ${caller.type} caller's policies are not collected`);
  return unknown;
}
