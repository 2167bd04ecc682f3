import type { NextFunction, Request, Response } from 'express';

/** How much structure one JSON body may have: enough for any command, far from what stalls the API. */
export interface BodyLimits {
  readonly maxDepth: number;
  /** Keys and array items, counted over the whole body. */
  readonly maxNodes: number;
}

export const BODY_LIMITS: BodyLimits = { maxDepth: 16, maxNodes: 1_000 };

/**
 * Control characters other than newline, carriage return and tab; C1 controls; the bidirectional
 * overrides and isolates (which can make text read other than it is); lone surrogates. None belongs
 * in free text, and each would reach CSV exports, terminals and web pages.
 */
const FORBIDDEN_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Refusal = { code: string; message: string; details: Record<string, unknown> };

/**
 * Checks a parsed body before any other work is done on it: depth, size of structure, and the
 * characters of every string (keys included). Walks iteratively, so no body can overflow the stack.
 */
export function inspectBody(body: unknown, limits: BodyLimits = BODY_LIMITS): Refusal | null {
  const stack: [value: unknown, path: string, depth: number][] = [[body, '', 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      const bad = FORBIDDEN_TEXT.exec(value);
      if (bad) return badText(path || '(body)', bad[0]);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.maxDepth) return tooComplex(`nested deeper than ${limits.maxDepth} levels`);
    const entries = Array.isArray(value)
      ? value.map((item, i) => [String(i), item] as const)
      : Object.entries(value);
    nodes += entries.length;
    if (nodes > limits.maxNodes)
      return tooComplex(`more than ${limits.maxNodes} keys and items in all`);
    for (const [key, item] of entries) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_TEXT.test(key)) return badText(`a key at ${path || '(body)'}`, key);
      stack.push([item, at, depth + 1]);
    }
  }
  return null;
}

/** Express middleware: a 400 in Keystone's error shape for a body that fails `inspectBody`. */
export function bodyInspection(limits: BodyLimits = BODY_LIMITS) {
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = req.body === undefined ? null : inspectBody(req.body, limits);
    if (!refusal) return next();
    res.status(400).json(refusal);
  };
}

function tooComplex(what: string): Refusal {
  return {
    code: 'REQUEST.TOO_COMPLEX',
    message: `The body is ${what}; Keystone's commands need far less. Send only the fields the route takes.`,
    details: {},
  };
}

function badText(field: string, found: string): Refusal {
  const codePoint = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    code: 'REQUEST.INVALID_TEXT',
    message: `${field} holds a control or direction-override character (${codePoint}); text may hold letters, digits, punctuation, spaces, newlines and tabs.`,
    details: { field, codePoint },
  };
}
