/**
 * The records of one denied upload are one denial: the failed PutObject and the KMS call S3 made for it
 * (test/fixtures/records/sse-kms-upload-pair.json), or both accounts' copies of a cross-account call
 * (cross-account-copies.json, one sharedEventID).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseUpload, joinUploads, parseEvent } from '../../lambda';
import type { DeniedRequest } from '../../lambda/model/request';
import { fingerprintParts } from '../../lambda/model/fingerprint';
import { ALLOW_PUT, KMS_KEY_ARN, policy, snapshot } from '../factories';

const records = (name: string) => parseEvent(JSON.parse(readFileSync(join(__dirname, '../fixtures/records', name), 'utf8'))).requests;
const [put, kms] = records('sse-kms-upload-pair.json') as [DeniedRequest, DeniedRequest];
const at = (request: DeniedRequest, time: string): DeniedRequest => ({ ...request, event: { ...request.event, time } });

describe('joining the records of one upload', () => {
  it('joins the failed KMS call to the PutObject it was made for, whichever comes first', () => {
    for (const order of [
      [put, kms],
      [kms, put],
    ]) {
      const denials = joinUploads(order);
      expect(denials.map((d) => d.request.event.id)).toEqual([put.event.id]);
      expect(denials[0]!.joined.map((r) => r.event.id)).toEqual([kms.event.id]);
    }
  });

  it('keeps two PutObjects apart: each is a request of its own, maybe denied for another reason', () => {
    const again = { ...at(put, '2026-11-21T07:12:31Z'), event: { ...put.event, id: 'another-put' } };
    expect(joinUploads([put, again])).toHaveLength(2);
  });

  it('keeps a KMS call apart when it was made more than a minute from the upload', () => {
    expect(joinUploads([put, at(kms, '2026-11-21T07:14:00Z')])).toHaveLength(2);
  });

  it('keeps a KMS call for another object, or by another session, apart', () => {
    const otherObject = { ...kms, key: 'incoming/2026/clip-0043.mp4' };
    const otherSession = { ...kms, caller: { ...kms.caller, principalId: 'AROAEXAMPLEMEDIA:ingest-worker-8' } };
    expect(joinUploads([put, otherObject])).toHaveLength(2);
    expect(joinUploads([put, otherSession])).toHaveLength(2);
  });

  it('joins a KMS call whose context names only the bucket (an S3 Bucket Key)', () => {
    expect(joinUploads([put, { ...kms, key: null }])).toHaveLength(1);
  });

  it('joins nothing by time when a record has none', () => {
    expect(joinUploads([put, at(kms, '')])).toHaveLength(2);
  });

  it('joins both accounts’ copies of a cross-account call, diagnosing the caller’s', () => {
    const [ownerCopy, callerCopy] = records('cross-account-copies.json') as [DeniedRequest, DeniedRequest];
    const denials = joinUploads([ownerCopy, callerCopy]);
    expect(denials.map((d) => d.request.event.id)).toEqual([callerCopy.event.id]);
    expect(denials[0]!.joined).toEqual([ownerCopy]);
  });

  it('keeps a thousand uploads apart in linear time, each with its own KMS call', () => {
    const many = Array.from({ length: 1000 }, (_, i) => [
      { ...put, key: `incoming/${i}.mp4`, event: { ...put.event, id: `put-${i}` } },
      { ...kms, key: `incoming/${i}.mp4`, event: { ...kms.event, id: `kms-${i}` } },
    ]).flat();
    const denials = joinUploads(many);
    expect(denials).toHaveLength(1000);
    expect(denials.every((d, i) => d.request.event.id === `put-${i}` && d.joined[0]?.event.id === `kms-${i}`)).toBe(true);
  });
});

describe('diagnosing a joined upload', () => {
  // The bucket encrypts with a customer managed key the role may not use; the key policy delegates to IAM.
  const account = snapshot(
    {
      kmsKeys: [
        {
          arn: KMS_KEY_ARN,
          accountId: '555566667777',
          aliases: [],
          keyManager: 'CUSTOMER',
          keyState: 'Enabled',
          policy: policy({
            Sid: 'EnableIAM',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::555566667777:root' },
            Action: 'kms:*',
            Resource: '*',
          }),
          grants: [],
        },
      ],
    },
    { defaultEncryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: KMS_KEY_ARN, bucketKeyEnabled: false } },
  );

  it('takes the KMS call’s message as evidence where S3 said only "Access Denied"', () => {
    // Every policy the collectors could read allows the upload; the SCPs they could not read.
    const keyAllowed = {
      ...account,
      principal: {
        ...account.principal,
        policies: [
          {
            source: 'inline' as const,
            name: 'ingest',
            document: policy(ALLOW_PUT, { Sid: 'Key', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KMS_KEY_ARN }),
          },
        ],
      },
      unseen: [{ layer: 'scp' as const, reason: 'organizations:ListPoliciesForTarget was denied' }],
    };
    const message = kms.event.errorMessage!.replace(
      /because no identity-based policy allows.*$/,
      'with an explicit deny in a service control policy',
    );
    const scpDenied = { ...kms, event: { ...kms.event, errorMessage: message } };
    const [denial] = joinUploads([put, scpDenied]);
    const joined = diagnoseUpload(denial!, keyAllowed);
    const alone = diagnoseUpload({ request: put, joined: [] }, keyAllowed);
    expect(joined.event.id).toBe(put.event.id);
    expect(joined.decidingLayers[0]).toMatchObject({ layer: 'scp', action: 'kms:GenerateDataKey', decision: 'explicit-deny' });
    expect(alone.decidingLayers[0]?.layer).not.toBe('scp');
  });
});

describe('a KMS call diagnosed on its own', () => {
  it('is grouped under the bucket its encryption context names', () => {
    expect(fingerprintParts(diagnoseUpload({ request: kms, joined: [] }, snapshot())).bucket).toBe('contoso-media-uploads');
  });
});
