/** The account id in an ARN (`arn:partition:service:region:account:…`), or null when it carries none. */
export function accountOfArn(arn: string | null | undefined): string | null {
  return arn ? (/^arn:[\w-]+:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1] ?? null) : null;
}
