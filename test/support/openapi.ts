import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks real responses against the served OpenAPI document (SPEC §9), so the document cannot
 * drift from what the API sends. Stricter than the document's letter in one way: an object that
 * lists `properties` is closed, so a field the API sends but does not document fails too.
 */

/** The parts of a supertest response the check reads. */
export interface ResponseUnderTest {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  request: { method: string; url: string };
}

type Schema = Record<string, unknown>;
type OperationResponses = Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;

/** Keywords of OpenAPI 3.0 schemas that JSON Schema 2020-12 does not know (annotations only). */
const OPENAPI_ONLY_KEYWORDS = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator']);
const MAX_BODY_IN_MESSAGE = 2000;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);

/** Throws, naming every mismatch, unless the response's status, content type and body are documented for its operation. */
export function expectToMatchOpenApi(openApi: OpenAPIObject, response: ResponseUnderTest): void {
  const method = response.request.method.toLowerCase();
  const path = new URL(response.request.url).pathname;
  const label = `${method.toUpperCase()} ${path} → ${response.status}`;

  const template = findPathTemplate(openApi, path);
  const operation = template && (openApi.paths[template] as Record<string, { responses?: OperationResponses }>)[method];
  if (!operation) throw new Error(`${label}: no operation for ${method.toUpperCase()} ${path} in the OpenAPI document`);

  const responses = operation.responses ?? {};
  const status = String(response.status);
  const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
  if (!documented) {
    throw new Error(`${label}: status ${status} is not documented for ${method.toUpperCase()} ${template} (documented: ${Object.keys(responses).join(', ')})`);
  }

  const content = (documented.$ref ? resolvePointer(openApi, documented.$ref) : documented).content as OperationResponses[string]['content'];
  const contentType = (response.headers['content-type'] ?? '').split(';')[0].trim();
  if (!content) {
    if (contentType) throw new Error(`${label}: sent ${contentType} but the document declares no body for this status`);
    return;
  }
  const media = content[contentType];
  if (!media) {
    throw new Error(`${label}: content type '${contentType}' is not documented (documented: ${Object.keys(content).join(', ')})`);
  }
  if (media.schema) validate(openApi, media.schema, response.body, `${label} ${contentType}`);
}

/** Throws unless `body` matches the component schema `name` (for responses without an operation, e.g. an unknown route's 404). */
export function expectToMatchComponentSchema(openApi: OpenAPIObject, name: string, body: unknown): void {
  validate(openApi, { $ref: `#/components/schemas/${name}` }, body, `component ${name}`);
}

/** A literal path wins over a template (`/v1/venues/search` over `/v1/venues/{id}`). */
function findPathTemplate(openApi: OpenAPIObject, path: string): string | undefined {
  const parameterCount = (template: string) => template.split('{').length - 1;
  return Object.keys(openApi.paths)
    .filter((template) => templatePattern(template).test(path))
    .sort((a, b) => parameterCount(a) - parameterCount(b))[0];
}

function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

function resolvePointer(openApi: OpenAPIObject, ref: string): Record<string, unknown> {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  const target = ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], openApi);
  if (!target || typeof target !== 'object') throw new Error(`unresolvable $ref ${ref}`);
  return target as Record<string, unknown>;
}

function validate(openApi: OpenAPIObject, schema: Schema, body: unknown, label: string): void {
  const check = ajv.compile(toJsonSchema(openApi, schema, { closed: true, refs: [] }));
  if (check(body)) return;
  const errors = (check.errors ?? []).map((error) => `  ${describe(error)}`).join('\n');
  const shownBody = JSON.stringify(body, null, 2) ?? String(body);
  const truncated = shownBody.length > MAX_BODY_IN_MESSAGE ? `${shownBody.slice(0, MAX_BODY_IN_MESSAGE)}…` : shownBody;
  throw new Error(`${label}: body does not match the OpenAPI document:\n${errors}\nbody: ${truncated}`);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const params = error.params as { unevaluatedProperty?: string; additionalProperty?: string };
  const property = params.unevaluatedProperty ?? params.additionalProperty;
  return `${where} ${error.message}${property ? `: '${property}' is not documented` : ''}`;
}

interface ConversionContext {
  /** Whether an object with `properties` rejects undocumented ones (not inside allOf, whose parent decides). */
  closed: boolean;
  /** The $refs being inlined, to report a recursive schema instead of looping. */
  refs: string[];
}

/**
 * OpenAPI 3.0 schema → JSON Schema 2020-12: $refs inlined (so closing an object can depend on
 * where it is used), `nullable` turned into "or null", boolean exclusive bounds into numbers,
 * OpenAPI-only annotations and x- extensions dropped.
 */
function toJsonSchema(openApi: OpenAPIObject, schema: Schema, context: ConversionContext): Schema {
  if (typeof schema.$ref === 'string') {
    // OpenAPI 3.0 ignores a $ref's siblings; tools still put `nullable` there, so it is honoured.
    const ref = schema.$ref;
    if (context.refs.includes(ref)) throw new Error(`recursive schema ${[...context.refs, ref].join(' → ')} is not supported`);
    const resolved = toJsonSchema(openApi, resolvePointer(openApi, ref), { ...context, refs: [...context.refs, ref] });
    return schema.nullable === true ? orNull(resolved) : resolved;
  }

  const converted: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (OPENAPI_ONLY_KEYWORDS.has(keyword) || keyword.startsWith('x-')) continue;
    converted[keyword] = convertKeyword(openApi, keyword, value, context);
  }
  moveBooleanExclusiveBound(converted, 'exclusiveMinimum', 'minimum');
  moveBooleanExclusiveBound(converted, 'exclusiveMaximum', 'maximum');
  if (context.closed && (converted.properties || converted.allOf) && converted.additionalProperties === undefined) {
    converted.unevaluatedProperties = false;
  }
  return schema.nullable === true ? orNull(converted) : converted;
}

function convertKeyword(openApi: OpenAPIObject, keyword: string, value: unknown, context: ConversionContext): unknown {
  const convert = (subschema: unknown, closed = true) => toJsonSchema(openApi, subschema as Schema, { ...context, closed });
  switch (keyword) {
    case 'properties':
      return Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([name, subschema]) => [name, convert(subschema)]));
    case 'items':
    case 'not':
      return convert(value);
    case 'additionalProperties':
      return typeof value === 'object' ? convert(value) : value;
    case 'allOf':
      // Each part describes some of the properties; the parent closes over all of them.
      return (value as Schema[]).map((part) => convert(part, false));
    case 'anyOf':
    case 'oneOf':
      return (value as Schema[]).map((alternative) => convert(alternative, context.closed));
    default:
      return value;
  }
}

function orNull(schema: Schema): Schema {
  return { anyOf: [schema, { type: 'null' }] };
}

/** OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; JSON Schema 2020-12 wants the bound itself. */
function moveBooleanExclusiveBound(schema: Schema, exclusiveKeyword: string, boundKeyword: string): void {
  const exclusive = schema[exclusiveKeyword];
  if (typeof exclusive !== 'boolean') return;
  delete schema[exclusiveKeyword];
  if (!exclusive) return;
  schema[exclusiveKeyword] = schema[boundKeyword];
  delete schema[boundKeyword];
}
