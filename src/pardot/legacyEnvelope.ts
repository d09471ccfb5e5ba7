import { XMLParser } from 'fast-xml-parser';

import { BadResponseError } from './errors';

/** A v3/v4 reply, JSON or XML, read into one shape. */
export type LegacyEnvelope =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; code: number; message: string; params: string[] };

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay text: the catalogue types them, so XML and JSON give the same records.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

/**
 * Reads a v3/v4 body. A body that is empty, cut short or not JSON/XML is a retriable
 * BadResponseError (a truncated reply is a transport fault, not a Pardot answer).
 */
export function readLegacyEnvelope(text: string, isXml: boolean): LegacyEnvelope {
  const trimmed = text.trimStart();
  if (isXml || trimmed.startsWith('<')) return readXml(trimmed);
  return readJson(trimmed);
}

function readJson(text: string): LegacyEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadResponseError(`unreadable JSON reply (${text.length} bytes)`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadResponseError('JSON reply is not an object');
  }

  const body = parsed as Record<string, unknown>;
  const attributes = body['@attributes'] as Record<string, unknown> | undefined;
  if (attributes?.stat !== 'fail') return { ok: true, body };

  const err = body.err;
  const message = Array.isArray(err) ? err.map(String).join('; ') : String(err ?? '');
  const params = Array.isArray(body.params) ? body.params.map(String) : [];
  return { ok: false, code: Number(attributes.err_code), message, params };
}

function readXml(text: string): LegacyEnvelope {
  let parsed: Record<string, unknown>;
  try {
    parsed = xml.parse(text, true) as Record<string, unknown>;
  } catch {
    throw new BadResponseError(`unreadable XML reply (${text.length} bytes)`);
  }
  const rsp = parsed.rsp as Record<string, unknown> | undefined;
  if (!rsp || typeof rsp !== 'object') throw new BadResponseError('XML reply has no <rsp>');

  const body = emptyToNull(rsp) as Record<string, unknown>;
  if (rsp['@_stat'] !== 'fail') return { ok: true, body };

  const errs = listOf(rsp.err);
  const first = errs[0];
  const code = Number(typeof first === 'object' && first ? first['@_code'] : NaN);
  const texts = errs.map((e) => (typeof e === 'object' && e ? String(e['#text'] ?? '') : e));
  const params = errs
    .map((e) => (typeof e === 'object' && e ? e['@_param'] : undefined))
    .filter((p): p is string => typeof p === 'string');
  return { ok: false, code, message: texts.join('; '), params };
}

/** An empty XML element (`<job_title/>`) means null, as JSON's `null` does. */
function emptyToNull(node: unknown): unknown {
  if (node === '') return null;
  if (Array.isArray(node)) return node.map(emptyToNull);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const key in node as Record<string, unknown>) {
    if (key.startsWith('@_')) continue;
    out[key] = emptyToNull((node as Record<string, unknown>)[key]);
  }
  return out;
}

type XmlErr = string | Record<string, string>;

function listOf(value: unknown): XmlErr[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as XmlErr[];
}

/**
 * The rows under `key` of a container, normalised by JSON type: an array is the rows, a lone
 * object is one row, anything else (missing, null, empty string) is no rows. Use it at every
 * nesting level; never trust `total_results` for this.
 */
export function rowsOf(container: unknown, key: string): Record<string, unknown>[] {
  if (container === null || typeof container !== 'object') return [];
  const value = (container as Record<string, unknown>)[key];
  if (Array.isArray(value)) {
    return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
  }
  if (value !== null && typeof value === 'object') return [value as Record<string, unknown>];
  return [];
}
