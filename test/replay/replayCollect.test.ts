import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { awsSnapshots } from '../../bin/snapshotSource';
import { generateTrail } from '../../bench/generateTrail';
import { parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { replayLogs } from '../../lambda/replay/replayLogs';
import { answerFrom, aws, resetAws } from '../collect/fakeAccount';
import { OWN_SCENARIOS } from '../helpers/paths';

const sts = mockClient(STSClient);
const scenario = join(OWN_SCENARIOS, 'bucket-policy-denies-plain-http');

describe('replay --collect', () => {
  it('reads each snapshot from AWS, sharing one cache across the replay', async () => {
    resetAws();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321' });
    const request = parseEvent(readEventDocument(readFileSync(join(scenario, 'event.json')))).requests[0]!;
    answerFrom(parseSnapshot(JSON.parse(readFileSync(join(scenario, 'snapshot.json'), 'utf8'))), request);
    const root = mkdtempSync(join(tmpdir(), 'why-denied-collect-'));
    mkdirSync(join(root, 'logs'));
    copyFileSync(join(scenario, 'event.json'), join(root, 'template.json'));
    generateTrail(join(root, 'logs'), join(root, 'template.json'), { files: 3, recordsPerFile: 40, deniedPerFile: 2 });

    const summary = await replayLogs([join(root, 'logs')], { snapshots: awsSnapshots({ region: 'eu-west-1' }) });

    expect(summary.diagnosed).toBe(6);
    expect(summary.denialGroups()).toEqual([expect.objectContaining({ count: 6, layer: 'bucket-policy', statement: 'TLSOnly' })]);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(aws.iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
  });
});
