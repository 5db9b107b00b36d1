/**
 * The checks a new document passes before it is written, with IAM Access Analyzer's policy checks:
 * ValidatePolicy (an error or a security warning blocks), CheckNoPublicAccess for a bucket or key policy,
 * and CheckAccessNotGranted for the actions a team never wants granted this way.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ValidatePolicy.html
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoPublicAccess.html
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckAccessNotGranted.html
 */
import {
  type AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoPublicAccessCommand,
  paginateValidatePolicy,
} from '@aws-sdk/client-accessanalyzer';
import type { PlanCheck, PlanStep } from '../model/remediationPlan';
import { newDocumentOf } from './stepDocuments';
import { changedStatementsOf } from './documentDiff';

/** By default, actions that hand over a bucket or a key: a fix for one upload never needs them. */
export const DEFAULT_SENSITIVE_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucket',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'iam:PassRole',
];

const PUBLIC_CHECK_TYPE: Partial<Record<PlanStep['service'], 'AWS::S3::Bucket' | 'AWS::KMS::Key'>> = {
  s3: 'AWS::S3::Bucket',
  kms: 'AWS::KMS::Key',
};

async function validate(analyzer: AccessAnalyzerClient, step: PlanStep, document: string): Promise<PlanCheck> {
  const blocking: string[] = [];
  const pages = paginateValidatePolicy(
    { client: analyzer },
    {
      policyDocument: document,
      policyType: step.service === 'iam' ? 'IDENTITY_POLICY' : 'RESOURCE_POLICY',
      ...(step.service === 's3' ? { validatePolicyResourceType: 'AWS::S3::Bucket' as const } : {}),
    },
  );
  for await (const page of pages) {
    for (const finding of page.findings ?? []) {
      if (finding.findingType === 'ERROR' || finding.findingType === 'SECURITY_WARNING') {
        blocking.push(`${finding.findingType} ${finding.issueCode ?? ''}`.trim());
      }
    }
  }
  return blocking.length === 0
    ? { name: 'ValidatePolicy', result: 'pass' }
    : { name: 'ValidatePolicy', result: 'fail', detail: blocking.join(', ') };
}

async function noPublicAccess(analyzer: AccessAnalyzerClient, step: PlanStep, document: string): Promise<PlanCheck | null> {
  const resourceType = PUBLIC_CHECK_TYPE[step.service];
  if (!resourceType) return null;
  const answer = await analyzer.send(new CheckNoPublicAccessCommand({ policyDocument: document, resourceType }));
  return {
    name: 'CheckNoPublicAccess',
    result: answer.result === 'PASS' ? 'pass' : 'fail',
    ...(answer.message ? { detail: answer.message } : {}),
  };
}

async function accessNotGranted(analyzer: AccessAnalyzerClient, step: PlanStep, document: string, actions: string[]): Promise<PlanCheck> {
  const answer = await analyzer.send(
    new CheckAccessNotGrantedCommand({
      policyDocument: document,
      access: [{ actions }],
      policyType: step.service === 'iam' ? 'IDENTITY_POLICY' : 'RESOURCE_POLICY',
    }),
  );
  return {
    name: 'CheckAccessNotGranted',
    result: answer.result === 'PASS' ? 'pass' : 'fail',
    ...(answer.message ? { detail: answer.message } : {}),
  };
}

/**
 * What the step adds, as a document of its own: the public and sensitive-action checks judge the change,
 * so a bucket that is public on purpose, or a key policy that lets its admins manage it, does not block
 * a fix that adds neither.
 */
function addedDocument(step: PlanStep): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: changedStatementsOf(step) });
}

/** @example (await runGuards(analyzer, step, DEFAULT_SENSITIVE_ACTIONS)).every((c) => c.result === 'pass') */
export async function runGuards(analyzer: AccessAnalyzerClient, step: PlanStep, sensitiveActions: string[]): Promise<PlanCheck[]> {
  const whole = JSON.stringify(newDocumentOf(step));
  const added = addedDocument(step);
  const checks = [await validate(analyzer, step, whole), await noPublicAccess(analyzer, step, added)];
  if (sensitiveActions.length > 0) checks.push(await accessNotGranted(analyzer, step, added, sensitiveActions));
  return checks.filter((check): check is PlanCheck => check !== null);
}
