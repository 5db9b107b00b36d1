/** An edit of an Allow the plan may write: conditions added, nothing else changed, nothing it had taken away. */
import { onlyNarrows } from '../../lambda/remediate/onlyNarrows';
import type { Statement } from '../../lambda/policy/types';

const drop: Statement = {
  Sid: 'Drop',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: 'arn:aws:s3:::b/drop/*',
  Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
};
const pin = { 'aws:PrincipalAccount': '111122223333' };

describe('an edit of an Allow statement', () => {
  it('only narrows it when it adds a condition and keeps every one it had', () => {
    expect(onlyNarrows(drop, { ...drop, Condition: { StringEquals: { ...drop.Condition!.StringEquals, ...pin } } })).toBe(true);
    expect(onlyNarrows({ ...drop, Condition: undefined }, { ...drop, Condition: { StringEquals: pin } })).toBe(true);
  });

  it.each<[string, Statement]>([
    ['drops a condition', { ...drop, Condition: { StringEquals: pin } }],
    ['changes a condition’s value', { ...drop, Condition: { StringEquals: { 's3:x-amz-acl': 'private', ...pin } } }],
    ['names another principal', { ...drop, Principal: { AWS: 'arn:aws:iam::444455556666:root' } }],
    ['adds an action', { ...drop, Action: ['s3:PutObject', 's3:GetObject'] }],
    ['widens the resource', { ...drop, Resource: 'arn:aws:s3:::b/*' }],
    ['turns into a Deny', { ...drop, Effect: 'Deny' }],
  ])('widens it, or changes it otherwise, when it %s', (_name, edited) => {
    expect(onlyNarrows(drop, edited)).toBe(false);
  });
});
