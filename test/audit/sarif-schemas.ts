// SARIF 2.1.0 for the tests: a zod schema of the subset raxe emits, and a
// hand-written JSON Schema of the standard's required fields and enums (the
// official schema cannot be downloaded here), for ajv.
import { z } from 'zod';

// SARIF 2.1.0, the part we emit (field names and types from the OASIS standard).
const Message = z.object({ text: z.string().min(1) });
export const SarifSchema = z.object({
  $schema: z.string().url(),
  version: z.literal('2.1.0'),
  runs: z.array(z.object({
    tool: z.object({
      driver: z.object({
        name: z.string(),
        version: z.string(),
        rules: z.array(z.object({
          id: z.string(),
          name: z.string(),
          shortDescription: Message,
          fullDescription: Message,
          help: Message,
          defaultConfiguration: z.object({ level: z.enum(['none', 'note', 'warning', 'error']) }),
          properties: z.object({ tags: z.array(z.string()), 'security-severity': z.string().regex(/^\d+(\.\d+)?$/) }),
        })),
      }),
    }),
    originalUriBaseIds: z.record(z.string(), z.object({ uri: z.string().regex(/^file:\/\/.*\/$/) })),
    results: z.array(z.object({
      ruleId: z.string(),
      ruleIndex: z.number().int().min(0),
      level: z.enum(['none', 'note', 'warning', 'error']),
      message: Message,
      locations: z.array(z.object({
        physicalLocation: z.object({
          artifactLocation: z.object({ uri: z.string(), uriBaseId: z.string().optional() }),
          region: z.object({ startLine: z.number().int().min(1), startColumn: z.number().int().min(1) }),
        }),
      })).length(1),
      partialFingerprints: z.record(z.string(), z.string()),
      properties: z.object({ severity: z.enum(['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']), server: z.string() }).loose(),
    })),
  })).length(1),
});

// SARIF 2.1.0's required properties and enums, hand-written from the schema (no download).
export const SARIF_JSON_SCHEMA = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  rules: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } } } } } },
                },
              },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
                message: { type: 'object', anyOf: [{ required: ['text'] }, { required: ['id'] }], properties: { text: { type: 'string' } } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        anyOf: [{ required: ['address'] }, { required: ['artifactLocation'] }],
                        properties: {
                          artifactLocation: { type: 'object', properties: { uri: { type: 'string' }, uriBaseId: { type: 'string' } } },
                          region: { type: 'object', properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

