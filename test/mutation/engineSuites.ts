/**
 * The suites Stryker runs, loaded into one test file: jest gives every test file its own module registry,
 * so as separate files each mutant's run loaded the whole engine once per file (about 2 s a mutant);
 * here it is loaded once. Only `npm run mutation` runs this file (jest.mutation.config.js); `npm test`
 * runs the suites themselves. fixes.test.ts is left out: it pastes commands into a real shell (about 2 s
 * a test), and the scenario suites diagnose everything it does.
 */
import '../policy/conditions.test';
import '../policy/evaluatePolicy.test';
import '../policy/generated.test';
import '../policy/ipAddress.test';
import '../policy/policyShapeProblem.test';
import '../policy/wildcard.test';
import '../policy/unrecordedKeys.test';
import '../policy/conditionOperatorMatrix.test';
import '../policy/principalForms.test';
import '../policy/variablesAndAddresses.test';
import '../layers/kmsGrant.test';
import '../layers/orgLevels.test';
import '../layers/bucketAccess.test';
import '../layers/identityLayers.test';
import '../layers/endpointAndManagedKey.test';
import '../layers/namedInTheDiagnosis.test';
import '../layers/kmsKey.test';
import '../layers/whatEachLayerSays.test';
import '../layers/publicStatement.test';
import '../layers/documentShapeAndGrants.test';
import '../engine/requiredAuthorizations.test';
import '../engine/decideAuthorization.test';
import '../engine/unrecordedKeys.test';
import '../engine/awsManagedS3Key.test';
import '../engine/replayReuse.test';
import '../engine/sourceVpc.test';
import '../engine/kmsKeyAttributes.test';
import '../engine/keyInAnotherAccount.test';
import '../engine/organizationKeys.test';
import '../engine/sessionKeys.test';
import '../engine/accessPoint.test';
import '../engine/unevaluatedAction.test';
import '../engine/refusedBeforePolicies.test';
import '../engine/endpointRefusal.test';
import '../engine/grantsAccessToOthers.test';
import '../diagnose.test';
import '../callers.test';
import '../partitions.test';
import '../scenarios.fixtures.test';
import '../scenarios.shared.test';
import '../events/joinUploads.test';
import '../events/parseErrorMessage.test';
import '../events/parseEvent.test';
import '../events/realRecords.test';
