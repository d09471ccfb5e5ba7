/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** A rendered JSON-ish value: nested objects become elements, arrays repeat the element. */
export type Node = string | number | boolean | null | Node[] | { [key: string]: Node };

/**
 * Writes a value as XML the way the v3/v4 API does: one element per key, arrays as repeated
 * elements of the same name, null as an empty element. Multi-value custom fields are marked
 * by the caller as `{ value: [...] }`.
 */
export function toXml(name: string, value: Node): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name}/>`;
  if (typeof value === 'object') {
    let inner = '';
    for (const key of Object.keys(value)) inner += toXml(key, value[key]);
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
