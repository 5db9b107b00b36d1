/** The region in an ARN (`arn:partition:service:region:account:…`), or null when it carries none (IAM, S3). */
export function regionOfArn(arn: string | null | undefined): string | null {
  return arn ? (/^arn:[\w-]+:[\w-]+:([a-z]{2}(?:-[a-z]+)+-\d+):/.exec(arn)?.[1] ?? null) : null;
}
