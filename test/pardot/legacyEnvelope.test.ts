import { describe, expect, it } from 'vitest';

import { readLegacyEnvelope, rowsOf } from '../../src/pardot/legacyEnvelope';
import { BadResponseError } from '../../src/pardot/errors';

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('rowsOf', () => {
  it('reads a missing key, null, one object and an array as 0, 0, 1 and n rows', () => {
    expect(rowsOf({ total_results: 0 }, 'visit')).toEqual([]);
    expect(rowsOf(null, 'visit')).toEqual([]);
    expect(rowsOf({ visit: { id: 1 } }, 'visit')).toEqual([{ id: 1 }]);
    expect(rowsOf({ visit: [{ id: 1 }, { id: 2 }] }, 'visit')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('normalises nested collections the same way', () => {
    const visit = { id: 1, visitor_page_views: { visitor_page_view: { id: 9 } } };

    expect(rowsOf(visit.visitor_page_views, 'visitor_page_view')).toEqual([{ id: 9 }]);
  });
});

describe('readLegacyEnvelope', () => {
  it('reads a JSON success body', () => {
    const body = '{"@attributes":{"stat":"ok","version":1},"result":{"visit":{"id":1}}}';

    expect(readLegacyEnvelope(body, false)).toEqual({
      ok: true,
      body: { '@attributes': { stat: 'ok', version: 1 }, result: { visit: { id: 1 } } },
    });
  });

  it('reads JSON and XML fail bodies, 10000 parameters included', () => {
    const json = '{"@attributes":{"stat":"fail","version":1,"err_code":49},"err":"Access Denied"}';
    const xml =
      `${XML}<rsp stat="fail" version="1.0">` +
      '<err code="10000" param="a">bad a</err><err code="10000" param="b">bad b</err></rsp>';

    expect(readLegacyEnvelope(json, false)).toEqual({
      ok: false,
      code: 49,
      message: 'Access Denied',
      params: [],
    });
    expect(readLegacyEnvelope(xml, true)).toEqual({
      ok: false,
      code: 10000,
      message: 'bad a; bad b',
      params: ['a', 'b'],
    });
  });

  it('reads XML rows as text with empty elements as null and entities decoded', () => {
    const xml =
      `${XML}<rsp stat="ok" version="1.0"><result>` +
      '<visit><id>1</id><title/><name>A &amp; B</name></visit></result></rsp>';

    const envelope = readLegacyEnvelope(xml, true);

    expect(envelope.ok && rowsOf(envelope.body.result, 'visit')).toEqual([
      { id: '1', title: null, name: 'A & B' },
    ]);
  });

  it('reads an empty XML result as no rows', () => {
    const envelope = readLegacyEnvelope(`${XML}<rsp stat="ok" version="1.0"><result/></rsp>`, true);

    expect(envelope.ok && rowsOf(envelope.body.result, 'visit')).toEqual([]);
  });

  it('throws a retriable BadResponseError on a truncated body', () => {
    expect(() => readLegacyEnvelope('{"@attributes":{"stat":"ok"', false)).toThrow(
      BadResponseError,
    );
    expect(() => readLegacyEnvelope(`${XML}<rsp stat="ok"><result><visit>`, true)).toThrow(
      BadResponseError,
    );
    expect(() => readLegacyEnvelope('', false)).toThrow(BadResponseError);
  });
});
