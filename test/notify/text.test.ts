/**
 * The text format is for people at a terminal: the JSON the tool lays out itself keeps its line breaks,
 * while everything inside a value that came from the request stays inert.
 */
import { diagnose, parseEvent } from '../../lambda';
import { formatText } from '../../lambda/notify/text';
import { BUCKET, ACCOUNT, s3Record, snapshot } from '../factories';

describe('the text format', () => {
  const key = 'daily\u001b[2J/\u202eevil\nline.csv';
  const request = parseEvent(
    s3Record({ resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }] }, { key }),
  ).requests[0]!;
  const account = snapshot();
  account.principal.policies = [];
  const text = formatText(diagnose(request, account), { color: false });

  it('prints a fix’s statement as laid-out JSON, with real line breaks', () => {
    expect(text).toContain('\n    [\n      {\n        "Sid": "WhyDeniedPutObject",\n');
    // The block reads back as the statement: only values were escaped, never the layout.
    const block = text.slice(text.indexOf('\n    [\n') + 1, text.indexOf('\n    ]') + 6);
    expect(JSON.parse(block)).toEqual(diagnose(request, account).fixes[0]?.policyPatch?.Statement);
  });

  it('keeps control and bidi characters from the key inert', () => {
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('\\u001b[2J');
  });
});
