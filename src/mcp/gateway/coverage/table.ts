/**
 * The scan coverage table: for every MCP message the gateway relays (both
 * directions; every method of the SDK's protocol versions, tasks included),
 * which fields are scanned at which scan point and which are exempt, and why.
 * This is data, not code paths: the gateway scans by walking a message with
 * its entry (./walk.ts), and test/gateway/coverage.test.ts walks the SDK's own
 * zod schemas against it, failing on any string-bearing field that is neither
 * scanned nor exempt.
 *
 * Field paths (relative to the part: `params`, `result` or `error`):
 *   `a.b`      a named field          `a[]`  every element of an array
 *   `a.*`      every key of a record (the key itself is scanned too)
 *   `a.**`     everything below `a`, keys and values, whatever its shape
 *   `["x.y"]`  a key holding dots or slashes
 * A rule on a path covers its subtree. Fields a part does not name — fields
 * the protocol does not define, or a newer SDK adds — are scanned at the
 * part's `point` as generic string leaves (or skipped when the whole part is
 * not relayed: `rest`). Methods the table does not list use the `*` entries.
 *
 * Two structural rules apply everywhere, whatever the path: base64 `data` of
 * image/audio content and `blob` of resource contents are decoded (see
 * ./binary.ts): text-typed or UTF-8 text is scanned; binary media is not
 * (raxe scans text); a text-typed blob that does not decode is unscanned.
 */

/** Where in the conversation a text was found; the policy and the audit log speak in these. */
export type ScanPoint =
  | 'tool_call' // tools/call arguments (host -> upstream)
  | 'request' // any other request or notification params the host sends an upstream
  | 'tool_response' // tools/call and task results
  | 'resource' // resources/read contents
  | 'prompt' // prompts/get messages
  | 'completion' // completion/complete values
  | 'description' // tool, prompt, resource and template list entries (tool poisoning)
  | 'instructions' // the server instructions of initialize
  | 'sampling' // sampling/createMessage (both ways)
  | 'elicitation' // elicitation/create
  | 'notification' // notifications from an upstream
  | 'response'; // any other message from an upstream

export const SCAN_POINTS: readonly ScanPoint[] = [
  'tool_call', 'request', 'tool_response', 'resource', 'prompt', 'completion', 'description', 'instructions', 'sampling', 'elicitation', 'notification', 'response',
];

/** Not scanned, for the reason given. */
export interface Exempt {
  exempt: string;
}
/** base64 decoded and scanned at `binary` (see the structural rules above). */
export interface Binary {
  binary: ScanPoint;
}
/**
 * An identifier (a tool, prompt, resource or argument name): scanned as
 * written and as words (`ignore_previous-instructions`, `ignorePrevious`
 * read as "ignore previous ..."). Keys of records and of `**` subtrees
 * (property names) are read both ways too.
 */
export interface Ident {
  ident: ScanPoint;
}
export type FieldRule = ScanPoint | Exempt | Binary | Ident;

export interface PartCoverage {
  /** The point of every string of this part not named in `fields`. */
  point: ScanPoint;
  fields: Record<string, FieldRule>;
  /** Fields not named in `fields` are not relayed at all (so not scanned). */
  rest?: Exempt;
}
export type Part = PartCoverage | Exempt;

export interface MessageCoverage {
  /** The method, or "*" for any method not listed. */
  method: string;
  /** Who sends the request or notification. */
  from: 'host' | 'upstream';
  kind: 'request' | 'notification';
  params: Part;
  /** Requests: the answer. */
  result?: Part;
  /** Requests: an error answer; by default its message and data are scanned at the result's point. */
  error?: Part;
}

const x = (why: string): Exempt => ({ exempt: why });
const bin = (p: ScanPoint): Binary => ({ binary: p });
const id = (p: ScanPoint): Ident => ({ ident: p });

// ------------------------------------------------------------------ reasons

const GATEWAY_ANSWERS = x('answered by the gateway itself; never relayed');
const NAME_ROUTE = x('routing key: must name an entry the gateway listed (else -32602, or -32001 with rule ids when it was withheld)');
const TASK_ROUTE = x('routing key: must name a task the gateway saw created (else -32602); routed to its owner');
const PROGRESS = x('replaced by the gateway\'s own progress token before forwarding');
const ICONS = x('display-only images (URLs or data: URIs) for the host\'s UI; never given to the model');
const LIST_OWN = x('not relayed: the gateway fetches every page from every upstream with its own requests');
const LIST_BUILT = x('not relayed: the gateway answers with one complete list built from all upstreams');
const INIT_OWN = x('not relayed: the gateway answers initialize with its own protocol version, capabilities and serverInfo');
const HOST_SETUP = x('the host\'s own identity and capabilities, relayed once at start-up; not model-generated');
const NO_CLIENT_TASKS = x('refused with -32601: the gateway does not offer client tasks to upstreams');

// --------------------------------------------------------- reusable shapes

/** Prefixes every path of `fields` with `p`. */
function under(p: string, fields: Record<string, FieldRule>): Record<string, FieldRule> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${p}.${k}`, v]));
}

/** `_meta` of host request params: the progress token is replaced, the rest forwarded. */
const requestMeta = (p: ScanPoint): Record<string, FieldRule> => ({ '_meta.progressToken': PROGRESS, '_meta.**': p });

/** A content block (text, image, audio, resource_link, embedded resource). */
const contentBlock = (p: ScanPoint): Record<string, FieldRule> => ({
  type: p,
  text: p,
  data: bin(p),
  mimeType: p,
  'annotations.audience[]': p,
  'annotations.lastModified': p,
  '_meta.**': p,
  // resource_link
  uri: p,
  name: id(p),
  title: p,
  description: p,
  icons: ICONS,
  // embedded resource
  'resource.uri': p,
  'resource.mimeType': p,
  'resource.text': p,
  'resource.blob': bin(p),
  'resource._meta.**': p,
});

/** A task as upstreams report it. */
const task = (p: ScanPoint): Record<string, FieldRule> => ({
  taskId: p, status: p, createdAt: p, lastUpdatedAt: p, statusMessage: p,
});

/** A tools/call result (also the payload of tasks/result); `toolResult` is the 2024-10-07 shape. */
const toolResult = (p: ScanPoint): Record<string, FieldRule> => ({
  ...under('content[]', contentBlock(p)),
  'structuredContent.**': p,
  'toolResult.**': p,
  '_meta.**': p,
});

const listEntry = (p: ScanPoint): Record<string, FieldRule> => ({ name: id(p), title: p, description: p, icons: ICONS, '_meta.**': p });

const TOOL = {
  ...listEntry('description'),
  'inputSchema.**': 'description', // property names, nested descriptions, default, enum, examples...
  'outputSchema.**': 'description',
  'annotations.title': 'description',
  'execution.taskSupport': 'description',
} satisfies Record<string, FieldRule>;

const RESOURCE = {
  ...listEntry('description'),
  mimeType: 'description',
  'annotations.audience[]': 'description',
  'annotations.lastModified': 'description',
} satisfies Record<string, FieldRule>;

const list = (key: string, entry: Record<string, FieldRule>): MessageCoverage['result'] => ({
  point: 'description',
  fields: { ...under(`${key}[]`, entry), nextCursor: LIST_BUILT, _meta: LIST_BUILT },
  rest: LIST_BUILT,
});

// -------------------------------------------------------------------- table

export const COVERAGE: readonly MessageCoverage[] = [
  // ---- requests from the host
  { method: 'ping', from: 'host', kind: 'request', params: GATEWAY_ANSWERS, result: GATEWAY_ANSWERS },
  {
    method: 'initialize', from: 'host', kind: 'request',
    params: { point: 'request', fields: { protocolVersion: x('negotiated by the gateway (one of the SDK\'s versions)'), capabilities: HOST_SETUP, clientInfo: HOST_SETUP }, rest: x('not relayed: the gateway sends each upstream its own initialize') },
    result: { point: 'instructions', fields: { instructions: 'instructions', protocolVersion: INIT_OWN, capabilities: INIT_OWN, serverInfo: INIT_OWN, _meta: INIT_OWN }, rest: INIT_OWN },
    error: x('not relayed: a failed handshake is reported on stderr, in the stats and to the host as a log message'),
  },
  { method: 'tools/list', from: 'host', kind: 'request', params: LIST_OWN, result: list('tools', TOOL), error: x('not relayed: reported on stderr; the list holds the other upstreams') },
  { method: 'prompts/list', from: 'host', kind: 'request', params: LIST_OWN, result: list('prompts', { ...listEntry('description'), 'arguments[].name': id('description'), 'arguments[].description': 'description' }), error: x('not relayed: reported on stderr') },
  { method: 'resources/list', from: 'host', kind: 'request', params: LIST_OWN, result: list('resources', { ...RESOURCE, uri: 'description' }), error: x('not relayed: reported on stderr') },
  { method: 'resources/templates/list', from: 'host', kind: 'request', params: LIST_OWN, result: list('resourceTemplates', { ...RESOURCE, uriTemplate: 'description' }), error: x('not relayed: reported on stderr') },
  {
    method: 'tools/call', from: 'host', kind: 'request',
    params: { point: 'tool_call', fields: { name: NAME_ROUTE, 'arguments.**': 'tool_call', ...requestMeta('tool_call') } },
    result: { point: 'tool_response', fields: { ...toolResult('tool_response'), ...under('task', task('tool_response')) } },
  },
  {
    method: 'prompts/get', from: 'host', kind: 'request',
    params: { point: 'request', fields: { name: NAME_ROUTE, 'arguments.*': 'request', ...requestMeta('request') } },
    result: { point: 'prompt', fields: { description: 'prompt', 'messages[].role': 'prompt', ...under('messages[].content', contentBlock('prompt')), '_meta.**': 'prompt' } },
  },
  {
    method: 'resources/read', from: 'host', kind: 'request',
    params: { point: 'request', fields: { uri: 'request', ...requestMeta('request') } },
    result: { point: 'resource', fields: { 'contents[].uri': 'resource', 'contents[].mimeType': 'resource', 'contents[].text': 'resource', 'contents[].blob': bin('resource'), 'contents[]._meta.**': 'resource', '_meta.**': 'resource' } },
  },
  ...(['resources/subscribe', 'resources/unsubscribe'] as const).map((method): MessageCoverage => ({
    method, from: 'host', kind: 'request',
    params: { point: 'request', fields: { uri: 'request', ...requestMeta('request') } },
    result: { point: 'response', fields: { '_meta.**': 'response' } },
  })),
  {
    method: 'completion/complete', from: 'host', kind: 'request',
    params: {
      point: 'request',
      fields: { 'ref.type': 'request', 'ref.name': NAME_ROUTE, 'ref.uri': 'request', 'argument.name': id('request'), 'argument.value': 'request', 'context.arguments.*': 'request', ...requestMeta('request') },
    },
    result: { point: 'completion', fields: { 'completion.values[]': 'completion', 'completion.**': 'completion', '_meta.**': 'completion' } },
  },
  {
    method: 'logging/setLevel', from: 'host', kind: 'request',
    params: { point: 'request', fields: { level: x('checked by the gateway: one of the protocol\'s eight levels (else -32602)'), ...requestMeta('request') } },
    result: x('not relayed: the gateway answers with its own empty result'),
    error: x('not relayed: the gateway answers with its own empty result'),
  },
  ...(['tasks/get', 'tasks/cancel'] as const).map((method): MessageCoverage => ({
    method, from: 'host', kind: 'request',
    params: { point: 'request', fields: { taskId: TASK_ROUTE, ...requestMeta('request') } },
    result: { point: 'tool_response', fields: { ...task('tool_response'), '_meta.**': 'tool_response' } },
  })),
  {
    method: 'tasks/result', from: 'host', kind: 'request',
    params: { point: 'request', fields: { taskId: TASK_ROUTE, ...requestMeta('request') } },
    result: { point: 'tool_response', fields: toolResult('tool_response') },
  },
  {
    method: 'tasks/list', from: 'host', kind: 'request', params: LIST_OWN,
    result: { point: 'tool_response', fields: { ...under('tasks[]', task('tool_response')), nextCursor: LIST_BUILT, _meta: LIST_BUILT }, rest: LIST_BUILT },
    error: x('not relayed: reported on stderr'),
  },
  { method: '*', from: 'host', kind: 'request', params: { point: 'request', fields: requestMeta('request') }, result: { point: 'response', fields: {} } },

  // ---- notifications from the host
  { method: 'notifications/initialized', from: 'host', kind: 'notification', params: x('not relayed: the gateway sends its own to each upstream') },
  { method: 'notifications/cancelled', from: 'host', kind: 'notification', params: x('not relayed: the gateway cancels the forwarded request with its own notification (no text)') },
  {
    method: 'notifications/progress', from: 'host', kind: 'notification',
    params: { point: 'request', fields: { progressToken: x('matched to the relayed request it belongs to'), message: 'request', '_meta.**': 'request' } },
  },
  { method: 'notifications/roots/list_changed', from: 'host', kind: 'notification', params: { point: 'request', fields: { '_meta.**': 'request' } } },
  { method: 'notifications/tasks/status', from: 'host', kind: 'notification', params: NO_CLIENT_TASKS },
  { method: '*', from: 'host', kind: 'notification', params: { point: 'request', fields: { '_meta.**': 'request' } } },

  // ---- requests from an upstream (answered by the host)
  { method: 'ping', from: 'upstream', kind: 'request', params: GATEWAY_ANSWERS, result: GATEWAY_ANSWERS },
  {
    method: 'sampling/createMessage', from: 'upstream', kind: 'request',
    params: {
      point: 'sampling',
      fields: {
        'messages.**': 'sampling', systemPrompt: 'sampling', 'modelPreferences.hints[].name': 'sampling', includeContext: 'sampling',
        'stopSequences[]': 'sampling', 'metadata.**': 'sampling', 'tools.**': 'sampling', 'toolChoice.mode': 'sampling', '_meta.**': 'sampling',
      },
    },
    // what the host's model wrote, going to the upstream (exfiltration)
    result: { point: 'sampling', fields: { model: 'sampling', stopReason: 'sampling', role: 'sampling', 'content.**': 'sampling', '_meta.**': 'sampling' } },
  },
  {
    method: 'elicitation/create', from: 'upstream', kind: 'request',
    params: { point: 'elicitation', fields: { mode: 'elicitation', message: 'elicitation', 'requestedSchema.**': 'elicitation', elicitationId: 'elicitation', url: 'elicitation', '_meta.**': 'elicitation' } },
    result: x('the user\'s own answer, typed in the host\'s form; relayed as is'),
    error: x('the host\'s own refusal; relayed as is'),
  },
  {
    method: 'roots/list', from: 'upstream', kind: 'request',
    params: { point: 'response', fields: { '_meta.**': 'response' } },
    result: x('the host\'s own configuration (its workspace roots); relayed as is'),
    error: x('the host\'s own refusal; relayed as is'),
  },
  ...(['tasks/get', 'tasks/result', 'tasks/list', 'tasks/cancel'] as const).map((method): MessageCoverage => ({
    method, from: 'upstream', kind: 'request', params: NO_CLIENT_TASKS, result: NO_CLIENT_TASKS,
  })),
  { method: '*', from: 'upstream', kind: 'request', params: x('refused with -32601: not relayed'), result: x('refused with -32601: not relayed') },

  // ---- notifications from an upstream
  { method: 'notifications/cancelled', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { requestId: x('mapped to the gateway\'s id of the relayed request'), reason: 'notification', '_meta.**': 'notification' } } },
  { method: 'notifications/progress', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { progressToken: x('mapped back to the host\'s own token'), message: 'notification', '_meta.**': 'notification' } } },
  { method: 'notifications/message', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { level: 'notification', logger: 'notification', 'data.**': 'notification', '_meta.**': 'notification' } } },
  { method: 'notifications/resources/updated', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { uri: 'notification', '_meta.**': 'notification' } } },
  { method: 'notifications/tasks/status', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { ...task('notification'), '_meta.**': 'notification' } } },
  { method: 'notifications/elicitation/complete', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { elicitationId: 'notification', '_meta.**': 'notification' } } },
  ...(['notifications/resources/list_changed', 'notifications/tools/list_changed', 'notifications/prompts/list_changed'] as const).map((method): MessageCoverage => ({
    method, from: 'upstream', kind: 'notification', params: { point: 'notification', fields: { '_meta.**': 'notification' } },
  })),
  { method: '*', from: 'upstream', kind: 'notification', params: { point: 'notification', fields: {} } },
];
