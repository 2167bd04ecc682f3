/**
 * Canonical JSON, as RFC 8785 (JCS) defines it for the values Keystone stores: object keys sorted
 * by UTF-16 code units, no whitespace, numbers and strings as ECMAScript's JSON.stringify writes
 * them. Any language with a JCS library reproduces these bytes, which is what lets an auditor
 * recompute the hash chain without Keystone.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  return encode(value, path);
}

export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(
      `${path} is ${what}; only JSON values (objects, arrays, strings, finite numbers, booleans, null) can be stored`,
    );
  }
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(path, String(value));
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value))
        return `[${value.map((item, i) => encode(item, `${path}[${i}]`)).join(',')}]`;
      return encodeObject(value, path);
    default:
      throw new NotJsonError(path, typeof value);
  }
}

function encodeObject(value: object, path: string): string {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new NotJsonError(path, `an instance of ${value.constructor?.name ?? 'a class'}`);
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) throw new NotJsonError(`${path}.${key}`, 'undefined');
    members.push(`${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
