#!/usr/bin/env node
/** The CDK app: `npx cdk deploy`. Settings are cdk.json context (or -c key=value); see the README. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './buildApp';

buildApp(new App(), { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
