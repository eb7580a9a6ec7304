/** The per-object re-encryption use case, as the Lambda, the local Batch engine and the CLI call it. */
export { ContainerState } from './container-state.js';
export { InvalidTaskError, ReencryptError } from './errors.js';
export {
  makeReencryptHandler,
  type ReencryptDeps,
  type ReencryptOptions,
  reencryptOptionsFromConfig,
  updateRouteFor,
} from './handler.js';
export { JobArguments } from './settings.js';
export type { JobSettings, MultipartCopier, Strategy, TargetEncryption } from './types.js';
