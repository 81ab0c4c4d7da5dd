import type { HttpRequest } from './measure';

/** The outcome of sending the same requests to the API and to the legacy reference. */
export interface ContractCheck {
  scenario: string;
  requests: number;
  /** Leaf values compared (strings, numbers, booleans, nulls). */
  fieldsCompared: number;
  /** One line per difference, naming the request and the JSON path. */
  differences: string[];
}

interface Answer {
  status: number;
  body: unknown;
}

async function send(baseUrl: string, request: HttpRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Walks both values together; every leaf must be identical and every key present on both sides. */
function compare(api: unknown, legacy: unknown, path: string, check: ContractCheck): void {
  if (Array.isArray(api) && Array.isArray(legacy)) {
    if (api.length !== legacy.length) check.differences.push(`${path}: api has ${api.length} items, legacy ${legacy.length}`);
    for (let index = 0; index < Math.min(api.length, legacy.length); index += 1) compare(api[index], legacy[index], `${path}[${index}]`, check);
    return;
  }
  if (isObject(api) && isObject(legacy)) {
    for (const key of new Set([...Object.keys(api), ...Object.keys(legacy)])) {
      if (!(key in api)) check.differences.push(`${path}.${key}: only the legacy reference has it`);
      else if (!(key in legacy)) check.differences.push(`${path}.${key}: only the API has it`);
      else compare(api[key], legacy[key], `${path}.${key}`, check);
    }
    return;
  }
  check.fieldsCompared += 1;
  if (!Object.is(api, legacy)) check.differences.push(`${path}: api ${JSON.stringify(api)}, legacy ${JSON.stringify(legacy)}`);
}

/**
 * Sends each request to both servers and compares the JSON answers field by field: the
 * response contract the write-up insisted on ("cross-check … the response structure is the same").
 * Both must answer 200.
 */
export async function checkContract(scenario: string, apiBaseUrl: string, legacyBaseUrl: string, requests: HttpRequest[]): Promise<ContractCheck> {
  const check: ContractCheck = { scenario, requests: requests.length, fieldsCompared: 0, differences: [] };
  for (const request of requests) {
    const [api, legacy] = await Promise.all([send(apiBaseUrl, request), send(legacyBaseUrl, request)]);
    const where = `${request.method} ${request.path}`;
    if (api.status !== 200 || legacy.status !== 200) {
      check.differences.push(`${where}: status api ${api.status}, legacy ${legacy.status}; bodies ${JSON.stringify(api.body).slice(0, 300)} / ${JSON.stringify(legacy.body).slice(0, 300)}`);
      continue;
    }
    const before = check.differences.length;
    compare(api.body, legacy.body, '', check);
    for (let index = before; index < check.differences.length; index += 1) check.differences[index] = `${where} ${check.differences[index]}`;
  }
  return check;
}
