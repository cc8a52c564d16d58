export { runScenario, type RunOptions } from './runner';
export { ScenarioInputError } from './errors';
export { World } from './world';
