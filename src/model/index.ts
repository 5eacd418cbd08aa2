/** The model layer: model files -> validated model -> resolved Scenario. */
export { loadModel, loadModelObject, parseModelText, DEFAULT_MODEL_PATH, type LoadOptions, type LoadedModel } from './load.js';
export { resolveScenario } from './resolve.js';
export { applySet, parseFieldPath } from './overrides.js';
export { ModelError, formatProblem, type Problem } from './errors.js';
export { modelSchema, buildModelSchema, MAX_PACKETS, MAX_STEP_DRAWS, type ModelInput, type ModelStep, type RawModel } from './schema.js';
export { modelJsonSchema } from './json-schema.js';
export type { Scenario } from './scenario.js';
