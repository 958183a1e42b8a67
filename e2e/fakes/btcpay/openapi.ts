/**
 * The BTCPay Greenfield OpenAPI fragments (./openapi, copied from BTCPay Server's
 * `BTCPayServer/wwwroot/swagger/v1/`) turned into ajv validators, so that the fake BTCPay can check
 * every request the POS sends against the vendor's own description. Answers are not checked: they
 * follow BTCPay's code, which the fragments do not always describe (a payment method's
 * `destination` is null until it is activated, where the fragments say it is a string).
 *
 * The fragments are OpenAPI 3.0, not JSON Schema, so three things are translated when loading:
 * - `nullable: true` becomes "null or the schema" (ajv's own `nullable` support needs a sibling
 *   `type`, which schemas such as `checkout: {nullable, allOf: [CheckoutOptions]}` lack);
 * - `allOf` over object schemas is merged into one object. BTCPay writes
 *   `InvoiceData = allOf[InvoiceDataBase, {additionalProperties: false, properties: {id, …}}]`,
 *   which read as JSON Schema would reject `metadata` (the second branch does not know it); the
 *   intent, and what BTCPay's generator meant, is one object with the union of the properties;
 * - cross-file `$ref`s (`#/components/schemas/X` in any fragment) point into one merged document.
 * Annotations JSON Schema does not know (`example`, `x-enumNames`) are dropped; the unknown string
 * formats BTCPay uses (`decimal`, and `minutes`/`seconds`/`days` on numbers) are defined here.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FRAGMENTS = [
  'swagger.template.json',
  'swagger.template.invoices.json',
  'swagger.template.webhooks.json',
  'swagger.template.stores-rates.json',
] as const;

/** The one document every converted schema lives in; refs become `btcpay#/definitions/<name>`. */
const ROOT_ID = 'btcpay';

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: Json | undefined, what: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`BTCPay OpenAPI: ${what} is not an object`);
  return value;
}

const componentName = (ref: string, kind: 'schemas' | 'parameters'): string | undefined => {
  const prefix = `#/components/${kind}/`;
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
};

// ---------------------------------------------------------------- loading

interface Operation {
  operation: JsonObject;
  /** Parameters declared on the path item, shared by its operations. */
  pathParameters: Json[];
}

interface Fragments {
  schemas: Map<string, JsonObject>;
  parameters: Map<string, JsonObject>;
  operations: Map<string, Operation>;
}

function readFragment(name: string): JsonObject {
  const text = readFileSync(new URL(`./openapi/${name}`, import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed)) throw new Error(`BTCPay OpenAPI: ${name} is not a JSON object`);
  return parsed;
}

function loadFragments(): Fragments {
  const fragments: Fragments = {
    schemas: new Map(),
    parameters: new Map(),
    operations: new Map(),
  };
  for (const name of FRAGMENTS) {
    const fragment = readFragment(name);
    const components = isJsonObject(fragment.components) ? fragment.components : {};
    for (const [key, schema] of Object.entries(isJsonObject(components.schemas) ? components.schemas : {})) {
      if (fragments.schemas.has(key)) throw new Error(`BTCPay OpenAPI: schema ${key} defined twice`);
      fragments.schemas.set(key, objectAt(schema, `schema ${key}`));
    }
    for (const [key, parameter] of Object.entries(isJsonObject(components.parameters) ? components.parameters : {})) {
      fragments.parameters.set(key, objectAt(parameter, `parameter ${key}`));
    }
    for (const pathItem of Object.values(isJsonObject(fragment.paths) ? fragment.paths : {})) {
      if (!isJsonObject(pathItem)) continue;
      const pathParameters = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
      for (const operation of Object.values(pathItem)) {
        if (isJsonObject(operation) && typeof operation.operationId === 'string') {
          fragments.operations.set(operation.operationId, { operation, pathParameters });
        }
      }
    }
  }
  return fragments;
}

/** `x.requestBody.content['application/json'].schema` (or the same under a response). */
function jsonBodySchema(holder: Json | undefined, key?: string): JsonObject | undefined {
  const body = key === undefined ? holder : isJsonObject(holder) ? holder[key] : undefined;
  if (!isJsonObject(body) || !isJsonObject(body.content)) return undefined;
  const json = body.content['application/json'];
  return isJsonObject(json) && isJsonObject(json.schema) ? json.schema : undefined;
}

// ---------------------------------------------------------------- OpenAPI 3.0 → JSON Schema

/** OpenAPI annotations with no JSON Schema meaning (`x-*` are dropped too). */
const DROPPED_KEYWORDS = new Set(['example', 'nullable', 'externalDocs', 'xml', 'discriminator']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);

class SchemaConverter {
  constructor(private readonly components: Map<string, JsonObject>) {}

  convert(schema: Json): JsonObject {
    const source = objectAt(schema, 'schema');
    if (typeof source.$ref === 'string') return { $ref: this.refTo(source.$ref) };
    const flat = this.needsMerging(source) ? this.mergeAllOf(source) : source;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(flat)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (key === 'properties') {
        const properties = objectAt(value, 'properties');
        out.properties = Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, this.convert(sub)]));
      } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
        out[key] = value.map((sub) => this.convert(sub));
      } else if (key === 'items' || key === 'not' || (key === 'additionalProperties' && isJsonObject(value))) {
        out[key] = this.convert(value);
      } else {
        out[key] = value;
      }
    }
    return flat.nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
  }

  private refTo(ref: string): string {
    const name = componentName(ref, 'schemas');
    if (name === undefined || !this.components.has(name)) throw new Error(`BTCPay OpenAPI: unresolved $ref ${ref}`);
    return `${ROOT_ID}#/definitions/${name}`;
  }

  private resolve(schema: Json): JsonObject {
    const source = objectAt(schema, 'schema');
    if (typeof source.$ref !== 'string') return source;
    const name = componentName(source.$ref, 'schemas');
    const target = name === undefined ? undefined : this.components.get(name);
    if (!target) throw new Error(`BTCPay OpenAPI: unresolved $ref ${source.$ref}`);
    return this.resolve(target);
  }

  private isObjectLike(schema: JsonObject): boolean {
    if (schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined) {
      return true;
    }
    return this.needsMerging(schema);
  }

  private needsMerging(schema: JsonObject): boolean {
    return Array.isArray(schema.allOf) && schema.allOf.some((branch) => this.isObjectLike(this.resolve(branch)));
  }

  /** One object schema from `schema` and its `allOf` branches (recursively), as the fragments mean it. */
  private mergeAllOf(schema: JsonObject): JsonObject {
    const { allOf, ...outer } = schema;
    const branches = (Array.isArray(allOf) ? allOf : []).map((branch) => {
      const resolved = this.resolve(branch);
      return this.needsMerging(resolved) ? this.mergeAllOf(resolved) : resolved;
    });
    const merged: JsonObject = { ...outer };
    const properties: JsonObject = isJsonObject(outer.properties) ? { ...outer.properties } : {};
    const required = new Set(Array.isArray(outer.required) ? outer.required : []);
    const constraints: Json[] = [];
    for (const branch of branches) {
      for (const [key, value] of Object.entries(branch)) {
        if (key === 'properties') {
          for (const [name, sub] of Object.entries(objectAt(value, 'properties'))) {
            const before = properties[name];
            properties[name] = before === undefined ? sub : { allOf: [before, sub] };
          }
        } else if (key === 'required' && Array.isArray(value)) {
          for (const name of value) required.add(name);
        } else if (key === 'additionalProperties') {
          if (value === false) merged.additionalProperties = false;
        } else if (key === 'type') {
          if (merged.type !== undefined && merged.type !== value) {
            throw new Error(`BTCPay OpenAPI: allOf mixes types ${JSON.stringify(merged.type)} and ${JSON.stringify(value)}`);
          }
          merged.type = value;
        } else if (SCHEMA_LIST_KEYWORDS.has(key) || key === 'not' || key === 'enum') {
          constraints.push({ [key]: value });
        } else if (!(key in merged) && key !== 'nullable') {
          // Annotations (description, title…): the outer schema's win. A branch's `nullable`
          // cannot widen an allOf, so only the outer one counts.
          merged[key] = value;
        }
      }
    }
    merged.properties = properties;
    if (required.size > 0) merged.required = [...required];
    if (constraints.length > 0) merged.allOf = constraints;
    return merged;
  }
}

// ---------------------------------------------------------------- validators

export interface BtcpaySchemas {
  /** Problems of a request body against the operation's documented body ([] = conforms). */
  checkRequestBody(operationId: string, body: unknown): string[];
  /** Problems of query parameters against the operation's documented ones (unknown ones are allowed). */
  checkQuery(operationId: string, query: Record<string, string[]>): string[];
}

/**
 * ajv's errors as one line each. A nullable value that fails also fails "must be null" and the
 * `anyOf` around it; those two say nothing the real error does not, so they are left out.
 */
function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? [];
  const isNullBranch = (error: ErrorObject) => error.keyword === 'type' && error.params.type === 'null';
  const explainedElsewhere = (error: ErrorObject) =>
    error.keyword === 'anyOf' &&
    all.some((other) => other !== error && !isNullBranch(other) && other.keyword !== 'anyOf' && other.instancePath.startsWith(error.instancePath));
  const meaningful = all.filter((error) => !isNullBranch(error) && !explainedElsewhere(error));
  return (meaningful.length > 0 ? meaningful : all).map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const extra: unknown = error.keyword === 'additionalProperties' ? error.params.additionalProperty : undefined;
    return `${where} ${error.message ?? error.keyword}${typeof extra === 'string' ? `: ${extra}` : ''}`;
  });
}

/** Query strings are text: read them as the parameter's documented type before validating. */
function coerceQueryValue(raw: string, type: Json | undefined): Json {
  if ((type === 'number' || type === 'integer') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function createSchemas(): BtcpaySchemas {
  const fragments = loadFragments();
  const converter = new SchemaConverter(fragments.schemas);
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  addFormats(ajv);
  ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
  for (const unit of ['seconds', 'minutes', 'days']) ajv.addFormat(unit, { type: 'number', validate: () => true });
  const definitions = Object.fromEntries([...fragments.schemas].map(([name, schema]) => [name, converter.convert(schema)]));
  ajv.addSchema({ $id: ROOT_ID, definitions });

  const compiled = new Map<string, ValidateFunction>();
  const check = (key: string, schema: () => Json, value: unknown): string[] => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(converter.convert(schema()));
      compiled.set(key, validate);
    }
    return validate(value) ? [] : describeErrors(validate.errors);
  };
  const operation = (operationId: string): JsonObject => {
    const found = fragments.operations.get(operationId);
    if (!found) throw new Error(`BTCPay OpenAPI: no operation ${operationId}`);
    return found.operation;
  };
  const resolveParameter = (entry: Json): JsonObject | undefined => {
    if (!isJsonObject(entry)) return undefined;
    if (typeof entry.$ref !== 'string') return entry;
    const name = componentName(entry.$ref, 'parameters');
    return name === undefined ? undefined : fragments.parameters.get(name);
  };

  return {
    checkRequestBody(operationId, body) {
      const schema = jsonBodySchema(operation(operationId), 'requestBody');
      if (!schema) return body === undefined ? [] : ['(root) the operation documents no request body'];
      return check(`request ${operationId}`, () => schema, body);
    },

    checkQuery(operationId, query) {
      const found = fragments.operations.get(operationId);
      if (!found) throw new Error(`BTCPay OpenAPI: no operation ${operationId}`);
      const declared = [...found.pathParameters, ...(Array.isArray(found.operation.parameters) ? found.operation.parameters : [])];
      const problems: string[] = [];
      for (const entry of declared) {
        const parameter = resolveParameter(entry);
        if (!parameter || parameter.in !== 'query' || typeof parameter.name !== 'string' || !isJsonObject(parameter.schema)) {
          continue;
        }
        const name = parameter.name;
        const schema = parameter.schema;
        const values = query[name];
        if (!values || values.length === 0) continue;
        const type = declaredType(fragments.schemas, schema);
        const key = `query ${operationId} ${name}`;
        if (type === 'array') {
          const itemType = isJsonObject(schema.items) ? declaredType(fragments.schemas, schema.items) : undefined;
          const value = values.map((raw) => coerceQueryValue(raw, itemType));
          problems.push(...check(key, () => schema, value).map((p) => `?${name}${p.replace('(root)', '')}`));
        } else {
          // Repeatable parameters the fragment types as one value (`status`): each must conform.
          for (const raw of values) {
            const ofValue = check(key, () => schema, coerceQueryValue(raw, type));
            problems.push(...ofValue.map((p) => `?${name}=${raw}${p.replace('(root)', '')}`));
          }
        }
      }
      return problems;
    },

  };
}

/** The `type` of a (possibly referenced) OpenAPI schema, for reading query strings. */
function declaredType(components: Map<string, JsonObject>, schema: JsonObject): Json | undefined {
  if (typeof schema.$ref === 'string') {
    const name = componentName(schema.$ref, 'schemas');
    const target = name === undefined ? undefined : components.get(name);
    return target ? declaredType(components, target) : undefined;
  }
  return schema.type;
}

let loaded: BtcpaySchemas | undefined;

/** The validators, built once per process (compiling the fragments takes a moment). */
export function btcpaySchemas(): BtcpaySchemas {
  loaded ??= createSchemas();
  return loaded;
}
