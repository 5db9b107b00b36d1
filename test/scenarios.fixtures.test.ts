import { OWN_SCENARIOS } from './helpers/paths';
import { scenarioSuite } from './helpers/scenarioSuite';

describe('the project’s own scenarios (test/fixtures/scenarios)', () => {
  scenarioSuite(OWN_SCENARIOS);
});
