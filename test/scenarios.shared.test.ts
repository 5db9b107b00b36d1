import { hasSharedScenarios, SHARED_SCENARIOS } from './helpers/paths';
import { scenarioSuite } from './helpers/scenarioSuite';

// CI always has ../shared/scenarios; a user's clone does not, and then this suite says so instead of passing empty.
(hasSharedScenarios ? describe : describe.skip)(`shared scenarios (${hasSharedScenarios ? SHARED_SCENARIOS : 'absent: skipped'})`, () => {
  scenarioSuite(SHARED_SCENARIOS);
});
