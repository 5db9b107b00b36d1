/**
 * The remediator: the only function of the service that writes to the account, with its own role, invoked
 * asynchronously by the approval endpoint with a recorded approval. It never retries by itself (a change
 * applied twice is refused by the drift check anyway); a failed invocation goes to its dead-letter queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { accountClients } from '../collect/awsClients';
import { collectSnapshot } from '../collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../collect/RateLimiter';
import { TtlCache } from '../collect/TtlCache';
import { requiredSetting } from '../settings/ConfigurationError';
import { postToSlack } from '../notify/postToSlack';
import { DEFAULT_SENSITIVE_ACTIONS } from '../remediate/runGuards';
import { ApprovalStore } from './ApprovalStore';
import { carryOut, type RemediatorDependencies } from './carryOut';
import type { RemediationJob } from './RemediationJob';
import { listFromSetting } from '../settings/listFromSetting';
import { approvalSettingsFrom } from '../settings/approvalSettings';
import { keyClients } from '../remediate/keyClients';

function dependenciesFrom(env: NodeJS.ProcessEnv): RemediatorDependencies {
  const region = requiredSetting(env, 'AWS_REGION');
  const accountId = requiredSetting(env, 'ACCOUNT_ID');
  const clientsFor = accountClients({ homeAccountId: accountId, region });
  const lookupLimiter = new RateLimiter(1, 2_000);
  return {
    store: new ApprovalStore(new DynamoDBClient({ region }), requiredSetting(env, 'APPROVAL_TABLE_NAME')),
    clients: {
      s3: new S3Client({ region, followRegionRedirects: true }),
      iam: new IAMClient({ region }),
      kms: keyClients({ region }),
      ec2: new EC2Client({ region }),
      analyzer: new AccessAnalyzerClient({ region }),
    },
    // A new cache per reading: the check after writing must see the write.
    freshSnapshot: async (request) =>
      (
        await collectSnapshot(request, {
          homeAccountId: accountId,
          region,
          clientsFor,
          cache: new TtlCache(60_000),
          lookupBudget: oneBudget(lookupLimiter),
          now: () => new Date(),
        })
      ).snapshot,
    targets: {
      accountId,
      targets: new Set(listFromSetting(env.REMEDIATION_TARGETS)),
      allowKeyPolicies: env.ALLOW_KEY_POLICIES === 'true',
    },
    sensitiveActions: DEFAULT_SENSITIVE_ACTIONS,
    ...approvalSettingsFrom(env),
    reply: (url, message) => postToSlack(url, message),
    logger: new Logger({ serviceName: 'why-denied-remediator' }),
    now: () => new Date(),
  };
}

const dependencies = dependenciesFrom(process.env);

export const handler = async (job: RemediationJob, context: Context): Promise<void> => {
  dependencies.logger.addContext(context);
  await carryOut(job, dependencies);
};
