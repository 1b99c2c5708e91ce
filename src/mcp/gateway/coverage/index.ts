/**
 * Scan coverage as data: the table of what the gateway scans in every MCP
 * message (./table.ts), its compiled form and the walk that pulls the texts
 * out of a message by scan point (./walk.ts), and the decoding of base64
 * payloads (./binary.ts). test/gateway/coverage.test.ts checks the table
 * against the SDK's own schemas.
 */
export { COVERAGE, SCAN_POINTS } from './table.js';
export type { ScanPoint, MessageCoverage, Part, PartCoverage, FieldRule, Exempt, Binary } from './table.js';
export { coverageOf, subPart, extract, parsePath, allCoverage, entryTexts } from './walk.js';
export type { CompiledPart, CompiledMessage, Extracted, Node } from './walk.js';
export { decodeBinary, isTextMime, SNIFF_BYTES } from './binary.js';
export type { BinaryOutcome } from './binary.js';
