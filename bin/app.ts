#!/usr/bin/env node
/** The CDK app: `npx cdk deploy`. Settings are cdk.json context (or -c key=value); see the README. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './buildApp';

try {
  buildApp(new App(), { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
} catch (error) {
  // A setting refused by name is the whole message: the stack trace under it would bury the one line to fix.
  process.stderr.write(`why-denied: ${(error as Error).message}\n`);
  if (process.env.WHY_DENIED_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exit(1);
}
