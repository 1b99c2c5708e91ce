/**
 * The checks, in report order. Each is a pure function of the parsed
 * configs (and, with --scan-tools, what the servers listed); each id is a
 * SARIF rule. Add a check: write it beside these, list it here, give it a
 * fixture in test/fixtures/audit/.
 */
import { shellCheck } from './shell.js';
import { filesystemCheck } from './filesystem.js';
import { secretsCheck } from './secrets.js';
import { dockerCheck } from './docker.js';
import { httpCheck, urlCredentialsCheck } from './remote.js';
import { pinningCheck } from './pinning.js';
import { duplicateServerCheck, duplicateKeyCheck } from './duplicates.js';
import { poisoningCheck, shadowingCheck, unreachableCheck } from './tools.js';
import { gatewayCheck } from './gateway.js';
import type { Check } from './types.js';

export const CHECKS: readonly Check[] = [
  shellCheck,
  filesystemCheck,
  secretsCheck,
  dockerCheck,
  httpCheck,
  urlCredentialsCheck,
  pinningCheck,
  duplicateServerCheck,
  duplicateKeyCheck,
  poisoningCheck,
  shadowingCheck,
  unreachableCheck,
  gatewayCheck,
];

export type { Check, AuditInput, SecretScan, SecretHit, ToolInventory, ListedItem } from './types.js';
export { isPlaceholder, isSecretName } from './secrets.js';
export { shellCapability } from './shell.js';
export { isFilesystemServer, dockerMounts } from './filesystem.js';
export { dockerProblems } from './docker.js';
export { unpinned } from './pinning.js';
export { skeleton } from './tools.js';
