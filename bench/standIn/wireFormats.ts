/**
 * SDK output objects written as each AWS protocol puts them on the wire, so that the deployed bundle's own
 * deserializers read them: awsQuery XML (IAM, SNS), ec2Query XML, awsJson (KMS, Organizations, CloudTrail,
 * Secrets Manager) and S3's REST XML for the bucket reads the collectors make.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */

export interface WireAnswer {
  status: number;
  contentType: string;
  body: string;
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** Members in order; a list's items as `<member>` (awsQuery) or `<item>` (ec2Query); dates in ISO 8601. */
function xmlOf(value: unknown, listItem: string, name: (key: string) => string = (key) => key): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<${listItem}>${xmlOf(item, listItem, name)}</${listItem}>`).join('');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .filter(([key, member]) => member !== undefined && !key.startsWith('$'))
      .map(([key, member]) => `<${name(key)}>${xmlOf(member, listItem, name)}</${name(key)}>`)
      .join('');
  return escapeXml(String(value));
}

export function queryAnswer(operation: string, output: unknown, xmlns: string): WireAnswer {
  const body = `<${operation}Response xmlns="${xmlns}"><${operation}Result>${xmlOf(output, 'member')}</${operation}Result><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, contentType: 'text/xml', body };
}

export function queryError(code: string, message: string): WireAnswer {
  const body = `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`;
  return { status: 400, contentType: 'text/xml', body };
}

/** EC2 names its members in lower camel case and its lists `…Set` of `<item>`. */
export function ec2Answer(operation: string, output: unknown): WireAnswer {
  const name = (key: string) => {
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    return key === 'VpcEndpoints' ? 'vpcEndpointSet' : lower;
  };
  const body = `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stand-in</requestId>${xmlOf(output, 'item', name)}</${operation}Response>`;
  return { status: 200, contentType: 'text/xml', body };
}

export function ec2Error(code: string, message: string): WireAnswer {
  const body = `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>stand-in</RequestID></Response>`;
  return { status: 400, contentType: 'text/xml', body };
}

/** awsJson: timestamps are epoch seconds. */
export function jsonAnswer(output: unknown): WireAnswer {
  const body = JSON.stringify(output ?? {}, function (key, value: unknown) {
    if (key.startsWith('$')) return undefined;
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  return { status: 200, contentType: 'application/x-amz-json-1.1', body };
}

export function jsonError(code: string, message: string): WireAnswer {
  return { status: 400, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message }) };
}

/** The S3 and S3 Control reads, each with the root element and nesting its API reference gives. */
export function s3Answer(operation: string, output: Record<string, unknown>): WireAnswer {
  const xml = (body: string): WireAnswer => ({
    status: 200,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?>${body}`,
  });
  switch (operation) {
    case 'GetBucketPolicy':
      return { status: 200, contentType: 'application/json', body: String(output.Policy ?? '') };
    case 'GetPublicAccessBlock':
      return xml(
        `<PublicAccessBlockConfiguration>${xmlOf(output.PublicAccessBlockConfiguration, 'member')}</PublicAccessBlockConfiguration>`,
      );
    case 'GetBucketOwnershipControls': {
      const rules = (output.OwnershipControls as { Rules?: unknown[] } | undefined)?.Rules ?? [];
      return xml(`<OwnershipControls>${rules.map((rule) => `<Rule>${xmlOf(rule, 'member')}</Rule>`).join('')}</OwnershipControls>`);
    }
    case 'GetBucketEncryption': {
      const rules = (output.ServerSideEncryptionConfiguration as { Rules?: unknown[] } | undefined)?.Rules ?? [];
      return xml(
        `<ServerSideEncryptionConfiguration>${rules.map((rule) => `<Rule>${xmlOf(rule, 'member')}</Rule>`).join('')}</ServerSideEncryptionConfiguration>`,
      );
    }
    case 'GetBucketAcl': {
      const grants = (output.Grants as { Grantee?: Record<string, unknown>; Permission?: string }[] | undefined) ?? [];
      const grantXml = grants
        .map(({ Grantee, Permission }) => {
          const { Type, ...who } = Grantee ?? {};
          const grantee = `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${escapeXml(String(Type))}">${xmlOf(who, 'member')}</Grantee>`;
          return `<Grant>${grantee}<Permission>${escapeXml(String(Permission))}</Permission></Grant>`;
        })
        .join('');
      return xml(
        `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>${xmlOf(output.Owner, 'member')}</Owner><AccessControlList>${grantXml}</AccessControlList></AccessControlPolicy>`,
      );
    }
    default:
      throw new Error(`the stand-in does not write ${operation}`);
  }
}

/** S3's missing-configuration errors are 404s; the rest of what the collectors meet is 403. */
export function s3Error(code: string, message: string): WireAnswer {
  const status = code.startsWith('NoSuch') || code.endsWith('NotFoundError') ? 404 : 403;
  return {
    status,
    contentType: 'application/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><RequestId>stand-in</RequestId></Error>`,
  };
}
