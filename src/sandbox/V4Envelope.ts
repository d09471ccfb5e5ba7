import type { PardotFault } from './PardotFault';
import { escapeXml, toXml, XML_DECLARATION, type Node } from './xml';

export type Format = 'json' | 'xml';

export interface Rendered {
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json';
const XML_TYPE = 'text/xml; charset=utf-8';

/** A v3/v4 success envelope around `key` (`result`, `export`, ...). */
export function v4Ok(format: Format, key: string, value: Node): Rendered {
  if (format === 'json') {
    const head = '{"@attributes":{"stat":"ok","version":1},';
    const body = `${head}${JSON.stringify(key)}:${JSON.stringify(value)}}`;
    return { contentType: JSON_TYPE, body };
  }
  const inner = value === null ? `<${key}/>` : toXml(key, value);
  return {
    contentType: XML_TYPE,
    body: `${XML_DECLARATION}<rsp stat="ok" version="1.0">${inner}</rsp>\n`,
  };
}

/**
 * A v3/v4 fail envelope. Code 10000 repeats `<err code="10000" param="x">` per parameter in
 * XML; in JSON `err` is the text when one parameter is wrong and an array of texts (one per
 * parameter, each naming it) when several are, as the XML-to-JSON conversion would give.
 */
export function v4Fail(format: Format, fault: PardotFault): Rendered {
  const problems = fault.problems;
  if (format === 'json') {
    const err = problems.length > 1 ? problems.map((p) => p.message) : fault.message;
    const attributes = { stat: 'fail', version: 1, err_code: fault.errCode };
    return { contentType: JSON_TYPE, body: JSON.stringify({ '@attributes': attributes, err }) };
  }
  const errs =
    problems.length > 0
      ? problems
          .map(
            (p) => `<err code="10000" param="${escapeXml(p.param)}">${escapeXml(p.message)}</err>`,
          )
          .join('')
      : `<err code="${fault.errCode}">${escapeXml(fault.message)}</err>`;
  return {
    contentType: XML_TYPE,
    body: `${XML_DECLARATION}<rsp stat="fail" version="1.0">${errs}</rsp>\n`,
  };
}
