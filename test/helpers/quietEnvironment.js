/**
 * The test run prints jest's lines and the closing count, nothing else: no EMF metric lines (the one test
 * that reads them turns metrics back on for itself) and no SDK notice about Node.js versions.
 */
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// cdk-nag's EventBusOpenAccess check reads CfnEventBusPolicy's deprecated `principal` (the organization bus
// policy sets `statement`), and jsii warns about the read. Only that line is dropped.
const warn = console.warn.bind(console);
console.warn = (...args) => {
  if (args.some((arg) => String(arg).includes('CfnEventBusPolicy#principal is deprecated'))) return;
  warn(...args);
};
