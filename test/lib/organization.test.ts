/**
 * An organization, deployed once (#24): the central stack's organization bus, the member stack every account
 * gets (forwarding rules and the read-only role, without CDK's bootstrap check), and the StackSet that
 * deploys it to the organization's accounts now and later.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/buildApp';
import { templateApp } from '../helpers/cdkApp';

const env = { account: '111122223333', region: 'eu-west-1' };
const ORGANIZATION = {
  organizationId: 'o-a1b2c3d4e5',
  organizationUnits: 'r-ab12',
  regions: 'us-east-1',
  managementAccount: '999988887777',
};
const CENTRAL_BUS = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/why-denied-denials']],
};

function stacksOf(context: Record<string, string> = ORGANIZATION) {
  const stacks = buildApp(templateApp(context), env);
  const named = (name: string) => Template.fromStack(stacks.find((s) => s.stackName === name)!);
  return { stacks, named };
}

describe('an organization, deployed once', () => {
  it('tells the central diagnoser that both copies of a cross-account call reach it; a single account’s is not told', () => {
    const diagnoserEnvironment = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((f) => f.Properties.Environment?.Variables as Record<string, unknown> | undefined)
        .find((variables) => variables?.SUPPRESSION_TABLE_NAME);
    expect(diagnoserEnvironment(stacksOf().named('WhyDenied'))?.ORGANIZATION_ID).toBe('o-a1b2c3d4e5');
    expect(diagnoserEnvironment(stacksOf({}).named('WhyDenied'))).not.toHaveProperty('ORGANIZATION_ID');
  });

  it('gives the central account a bus that takes PutEvents from the organization’s accounts only, routed like its own', () => {
    const central = stacksOf().named('WhyDenied');
    central.hasResourceProperties('AWS::Events::EventBus', { Name: 'why-denied-denials' });
    central.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Action: 'events:PutEvents',
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }),
    });
    const onBus = Object.values(central.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventBusName);
    expect(onBus).toHaveLength(3);
    for (const rule of onBus) expect(rule.Properties.State).toBe('ENABLED');
    const policy = Object.values(central.findResources('AWS::SQS::QueuePolicy'))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Sid?: string; Condition?: { ArnNotEquals: { 'aws:SourceArn': unknown[] } } }[],
      )
      .find((s) => s.Sid === 'OnlyTheseRules');
    // EventBridge may send to the queue for these rules only: the default bus's three and the organization bus's.
    expect(policy?.Condition?.ArnNotEquals['aws:SourceArn']).toHaveLength(6);
    // The diagnoser may assume the members' read-only role, in the organization's accounts only.
    central.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadOtherAccounts',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/WhyDeniedReadOnly']] },
            Condition: { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
          }),
        ]),
      },
    });
  });

  it('gives every member the forwarding rules and the read-only role, in a template with no bootstrap parameter or rule', () => {
    const member = stacksOf().named('WhyDenied-Member-us-east-1');
    const template = member.toJSON() as Record<string, unknown>;
    expect(template).not.toHaveProperty('Parameters');
    expect(template).not.toHaveProperty('Rules');
    member.resourceCountIs('AWS::Events::Rule', 3);
    member.allResourcesProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: CENTRAL_BUS })] });
    member.hasResource('AWS::IAM::Role', {
      Condition: 'InCentralRegion',
      Properties: Match.objectLike({
        RoleName: 'WhyDeniedReadOnly',
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Condition: {
                StringEquals: {
                  'sts:ExternalId': 'why-denied-111122223333',
                  'aws:PrincipalArn': Match.objectLike({
                    'Fn::Join': ['', Match.arrayWith([':iam::111122223333:role/WhyDenied-diagnoser-eu-west-1'])],
                  }),
                },
              },
            }),
          ],
        },
      }),
    });
    member.hasCondition('InCentralRegion', { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] });
  });

  it('deploys it to every account of the listed root or OUs, new ones too, in every region, from the management account', () => {
    const { named, stacks } = stacksOf();
    const stackSets = named('WhyDenied-Members');
    stackSets.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['eu-west-1', 'us-east-1'] }],
    });
    const body = JSON.parse(
      Object.values(stackSets.findResources('AWS::CloudFormation::StackSet'))[0]?.Properties.TemplateBody as string,
    ) as Record<string, unknown>;
    expect(body).not.toHaveProperty('Parameters');
    expect(body).not.toHaveProperty('Rules');
    expect(Object.values(body.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::Events::Rule')).toHaveLength(3);
    // Service-managed StackSets skip the management account: it gets the member stack directly, per region.
    const copies = stacks.filter((s) => s.stackName.startsWith('WhyDenied-Member-'));
    expect(copies.map((s) => [s.stackName, s.account, s.region])).toEqual([
      ['WhyDenied-Member-eu-west-1', '999988887777', 'eu-west-1'],
      ['WhyDenied-Member-us-east-1', '999988887777', 'us-east-1'],
    ]);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ ...ORGANIZATION, organizationId: 'org-1' }, /not an organization id/],
    [{ ...ORGANIZATION, organizationUnits: '' }, /needs the root or OUs/],
    [{ ...ORGANIZATION, organizationUnits: 'Workloads' }, /Workloads is not a root or OU id/],
    [{ ...ORGANIZATION, stackSetCallAs: 'ADMIN' }, /stackSetCallAs must be SELF or DELEGATED_ADMIN/],
    [{ ...ORGANIZATION, managementAccount: '42' }, /managementAccount: a 12-digit account id/],
  ])('refuses %j by name', (context, message) => {
    expect(() => buildApp(templateApp(context), env)).toThrow(message);
  });
});
