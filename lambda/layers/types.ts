import type { LayerName, LayerResultKind, PolicyRef, StatementRef } from '../model/diagnosis';
import type { PrincipalMatch } from '../policy/principal';
import type { AuthorizationQuery, ConditionTrace, PolicyDocument } from '../policy/types';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot, KmsKeySnapshot } from '../model/snapshot';

/** One permission the request needed: an action on a resource, asked of every layer that applies. */
export interface Authorization {
  action: string;
  resource: string;
  service: 's3' | 'kms';
  query: AuthorizationQuery;
  /** The KMS key, for a kms: action; null when the snapshot does not hold it. */
  key: KmsKeySnapshot | null;
  /** The account that owns the resource: bucket owner or key owner. */
  resourceAccount: string;
}

export interface LayerInput {
  request: DeniedRequest;
  snapshot: AccountSnapshot;
  authorization: Authorization;
  /** Layers the collectors could not read: whatever their field says, they are unknown. */
  unseen: ReadonlyMap<string, string>;
}

/** What one layer decided for one authorization, with the trace that explains it. */
export interface LayerOutcome {
  layer: LayerName;
  action: string;
  resource: string;
  result: LayerResultKind;
  detail: string;
  policy: PolicyRef | null;
  statement: StatementRef | null;
  conditions: ConditionTrace[];
  /** One sentence a person can act on; set for denials. */
  explanation: string | null;
  /** For a resource-based Allow: how its Principal named the caller. */
  grant: PrincipalMatch;
  /** A statement that may have decided otherwise on a key CloudTrail does not record; null when none. */
  unrecorded: UnrecordedTurn | null;
}

/** A Deny that may have matched, or an Allow that may have granted, had the unrecorded keys been known. */
export interface UnrecordedTurn {
  effect: 'Allow' | 'Deny';
  /** `statement "DenyStaleSignatures" in the bucket policy of acme-reports` */
  where: string;
  keys: string[];
}

export type LayerCheck = (input: LayerInput) => LayerOutcome;

export interface NamedDocument {
  ref: PolicyRef;
  document: PolicyDocument;
}
