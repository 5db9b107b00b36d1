/**
 * A Glue database and table over a trail's log bucket for `why-denied replay --athena`: the Athena guide's
 * CloudTrail table, with partition projection on account, region and day, so a query reads only the
 * partitions its WHERE clause names and no partition is ever added by hand. An organization trail writes
 * under AWSLogs/<organization id>/<account>/…; an account's trail under AWSLogs/<account>/….
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 */
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

export interface CloudTrailTableProps {
  /** The bucket the trail delivers to. */
  readonly bucketName: string;
  /** An organization trail's organization (`o-…`): its logs sit one folder deeper. */
  readonly organizationId?: string;
  /** The accounts whose logs the table reads (a projected partition needs its values listed). */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** The first day with logs, `YYYY/MM/DD`. */
  readonly startDate: string;
  readonly databaseName: string;
  readonly tableName: string;
}

const text = (name: string) => ({ name, type: 'string' });

/** The trail's record, as the Athena guide declares it. */
const COLUMNS: glue.CfnTable.ColumnProperty[] = [
  text('eventversion'),
  {
    name: 'useridentity',
    type:
      'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
      'onbehalfof:struct<userid:string,identitystorearn:string>,' +
      'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
      'ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>',
  },
  ...[
    'eventtime',
    'eventsource',
    'eventname',
    'awsregion',
    'sourceipaddress',
    'useragent',
    'errorcode',
    'errormessage',
    'requestparameters',
    'responseelements',
    'additionaleventdata',
    'requestid',
    'eventid',
    'readonly',
  ].map(text),
  { name: 'resources', type: 'array<struct<arn:string,accountid:string,type:string>>' },
  ...[
    'eventtype',
    'apiversion',
    'recipientaccountid',
    'serviceeventdetails',
    'sharedeventid',
    'vpcendpointid',
    'vpcendpointaccountid',
    'eventcategory',
  ].map(text),
  { name: 'addendum', type: 'struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>' },
  text('sessioncredentialfromconsole'),
  text('edgedevicedetails'),
  { name: 'tlsdetails', type: 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>' },
];

export class CloudTrailTable extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: CloudTrailTableProps) {
    super(scope, id);
    if (props.accounts.length === 0 || props.regions.length === 0)
      throw new Error('CloudTrailTable needs the accounts and regions it reads');
    if (!/^\d{4}\/\d{2}\/\d{2}$/.test(props.startDate))
      throw new Error(`CloudTrailTable startDate ${props.startDate}: expected YYYY/MM/DD`);
    const catalogId = Stack.of(this).account;
    const root = `s3://${props.bucketName}/AWSLogs/${props.organizationId ? `${props.organizationId}/` : ''}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: props.databaseName, description: 'why-denied: CloudTrail logs for replay --athena' },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId,
      databaseName: props.databaseName,
      tableInput: {
        name: props.tableName,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [text('account'), text('region'), text('timestamp')],
        parameters: {
          classification: 'cloudtrail',
          'projection.enabled': 'true',
          'projection.account.type': 'enum',
          'projection.account.values': props.accounts.join(','),
          'projection.region.type': 'enum',
          'projection.region.values': props.regions.join(','),
          'projection.timestamp.type': 'date',
          'projection.timestamp.format': 'yyyy/MM/dd',
          'projection.timestamp.range': `${props.startDate},NOW`,
          'projection.timestamp.interval': '1',
          'projection.timestamp.interval.unit': 'DAYS',
          'storage.location.template': `${root}\${account}/CloudTrail/\${region}/\${timestamp}`,
        },
        storageDescriptor: {
          columns: COLUMNS,
          location: root,
          inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }
}
