/** The published diagnosis. Faithful to `shared/contract/diagnosis.schema.json`. */
import type { ConditionTrace, Statement } from '../policy/types';
import type { EventSummary } from './request';
import type { PrincipalKind } from './snapshot';

/** Every layer a denial can come from, in the contract's words. */
export const LAYER_NAMES = [
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'scp',
  'rcp',
  'bucket-policy',
  'bucket-acl',
  'object-ownership',
  'block-public-access',
  'vpc-endpoint-policy',
  'kms-key-policy',
  'kms-grant',
  'kms-key-state',
  'credentials',
  'unknown',
] as const;

export type LayerName = (typeof LAYER_NAMES)[number];

export type LayerResultKind = 'allow' | 'explicit-deny' | 'implicit-deny' | 'setting-blocked' | 'not-applicable' | 'not-visible';

export type Verdict = 'explicit-deny' | 'implicit-deny' | 'setting-blocked' | 'not-reproduced' | 'out-of-scope';

export type Decision = 'explicit-deny' | 'implicit-deny' | 'setting-blocked';

export type Confidence = 'certain' | 'likely' | 'possible';

export type FixOwner = 'uploader' | 'bucket-owner' | 'key-owner' | 'org-admin' | 'account-admin';

export interface PolicyRef {
  kind: string;
  name?: string;
  arn?: string;
  account?: string;
}

export interface DecidingLayer {
  layer: LayerName;
  action: string;
  resource?: string;
  decision: Decision;
  policy: PolicyRef | null;
  statement: StatementRef | null;
  conditions: ConditionTrace[];
  explanation: string;
}

/** Where the deciding statement sits, and its text so a reader need not go and fetch the policy. */
export interface StatementRef {
  sid: string | null;
  index: number;
  body?: Statement;
}

export interface LayerTrace {
  layer: LayerName;
  action: string;
  result: LayerResultKind;
  detail: string;
}

/** A proposed change, in the form `explain --patch` applies: statements merged into one layer's policy. */
export interface PolicyPatch {
  layer: LayerName;
  /** Which policy of the layer receives the statements (a role's inline policy name, an SCP id, a key ARN, …). */
  policyName?: string;
  /** The statement the patch's one statement takes the place of; without it the statements are appended. */
  replaceStatement?: { sid?: string; index: number };
  Statement: Statement[];
}

/** A change to the request itself (headers the uploader sends), in the form `explain --patch` replays. */
export interface RequestChange {
  setHeaders?: Record<string, string>;
  removeHeaders?: string[];
  /** How the uploader connects, as context keys: HTTPS, MFA, the source address, the VPC endpoint. */
  setContext?: Partial<Record<ConnectionKey, string>>;
}

/** The context keys a request change may set: what the uploader controls about how it connects, and its session. */
export const CONNECTION_KEYS = [
  'aws:SecureTransport',
  'aws:MultiFactorAuthPresent',
  'aws:MultiFactorAuthAge',
  'aws:SourceIp',
  'aws:TokenIssueTime',
  'aws:SourceVpce',
] as const;
export type ConnectionKey = (typeof CONNECTION_KEYS)[number];

export interface Fix {
  summary: string;
  owner: FixOwner;
  /** The account the owner's command runs in, when known. */
  account?: string;
  command?: string;
  policyPatch?: PolicyPatch;
  /** Instead of `policyPatch` when the fix needs changes to several policies together. */
  policyPatches?: PolicyPatch[];
  requestChange?: RequestChange;
}

export interface NotVisible {
  layer: LayerName;
  reason: string;
}

export interface DiagnosedRequest {
  principalArn: string;
  principalType: PrincipalKind;
  sessionArn: string | null;
  actions: string[];
  resources: string[];
  context: Record<string, string | string[]>;
}

export interface Diagnosis {
  diagnosisVersion: 1;
  event: EventSummary;
  request: DiagnosedRequest;
  verdict: Verdict;
  decidingLayers: DecidingLayer[];
  layers: LayerTrace[];
  fixes: Fix[];
  notVisible: NotVisible[];
  confidence: Confidence;
  /** A sentence for people: the verdict in plain words, or why the evidence and the snapshot disagree. */
  summary: string;
}
