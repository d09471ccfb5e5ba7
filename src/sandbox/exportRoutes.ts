import type { Account } from './Account';
import type { ExportBody, ExportEngine, ExportRecord } from './ExportEngine';
import { PardotFault } from './PardotFault';
import type { ApiRequest, Route } from './SandboxServer';
import { v4Ok } from './V4Envelope';
import type { Node } from './xml';
import { isoWithOffset } from './isoWithOffset';

export interface ExportRouteDeps {
  engine: ExportEngine;
  account: Account;
  baseUrl: () => string;
}

/**
 * Export API routes: v3/v4 create/read/download under `/api/export/version/{3|4}/do/...` and
 * v5 create/read/download under `/api/v5/exports`. Replies are wrapped in `export`
 * (`{"@attributes":..., "export": {...}}` on v3/v4, `{...}` camelCase on v5).
 */
export function exportRoutes(deps: ExportRouteDeps): Route[] {
  const { engine } = deps;
  return [
    {
      method: 'POST',
      pattern: /^\/api\/export\/version\/(\d+)\/do\/create$/,
      kind: 'export',
      versionGroup: 1,
      handle: (req, m) => {
        const record = engine.create(readBody(req), 'v4', Number(m[1]));
        return v4Ok(req.format, 'export', v4Node(deps, record, req.nowMs));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/export\/version\/(\d+)\/do\/read\/id\/(\d+)$/,
      kind: 'export',
      versionGroup: 1,
      handle: (req, m) =>
        v4Ok(req.format, 'export', v4Node(deps, engine.get(Number(m[2])), req.nowMs)),
    },
    {
      method: 'GET',
      pattern: /^\/api\/export\/version\/(\d+)\/do\/downloadResults\/id\/(\d+)\/file\/(\d+)$/,
      kind: 'download',
      versionGroup: 1,
      handle: async (req, m) => {
        await engine.download(engine.get(Number(m[2])), Number(m[3]), req.res);
        return null;
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v5\/exports$/,
      kind: 'export',
      handle: (req) => v5Reply(v5Node(deps, engine.create(readBody(req), 'v5', 5), req.nowMs), 201),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v5\/exports\/(\d+)$/,
      kind: 'export',
      handle: (req, m) => v5Reply(v5Node(deps, engine.get(Number(m[1])), req.nowMs), 200),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v5\/exports\/(\d+)\/results\/(\d+)$/,
      kind: 'download',
      handle: async (req, m) => {
        await engine.download(engine.get(Number(m[1])), Number(m[2]), req.res);
        return null;
      },
    },
  ];
}

function readBody(req: ApiRequest): ExportBody {
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.trim() === '') throw new PardotFault(152, 'Request body is empty');
  if (!type.startsWith('application/json'))
    throw new PardotFault(151, 'Content-Type must be application/json');
  try {
    const body: unknown = JSON.parse(req.body);
    if (typeof body !== 'object' || body === null) throw new Error('not an object');
    return body as ExportBody;
  } catch {
    throw new PardotFault(150, 'Request body is not valid JSON');
  }
}

function refs(deps: ExportRouteDeps, record: ExportRecord, nowMs: number): string[] | null {
  const { engine } = deps;
  if (engine.state(record, nowMs) !== 'Complete' || engine.isExpired(record, nowMs)) return null;
  if (record.files === 0) return null;
  return Array.from({ length: record.files }, (_, i) =>
    record.api === 'v5'
      ? `${deps.baseUrl()}/api/v5/exports/${record.id}/results/${i + 1}`
      : `${deps.baseUrl()}/api/export/version/${record.version}/do/downloadResults` +
        `/id/${record.id}/file/${i + 1}`,
  );
}

function v4Node(deps: ExportRouteDeps, record: ExportRecord, nowMs: number): Node {
  const { engine, account } = deps;
  const links = refs(deps, record, nowMs);
  const node: { [key: string]: Node } = {
    id: record.id,
    state: engine.state(record, nowMs),
    isExpired: engine.isExpired(record, nowMs),
  };
  if (links) node.resultRefs = links.length === 1 ? links[0] : links;
  node.createdAt = account.time.format(record.createdMs);
  node.updatedAt = account.time.format(engine.updatedMs(record, nowMs));
  return node;
}

function v5Node(deps: ExportRouteDeps, record: ExportRecord, nowMs: number): Node {
  const node = v4Node(deps, record, nowMs) as { [key: string]: Node };
  node.createdAt = isoWithOffset(deps.account.time, record.createdMs);
  node.updatedAt = isoWithOffset(deps.account.time, deps.engine.updatedMs(record, nowMs));
  return node;
}

function v5Reply(node: Node, status: number) {
  return { contentType: 'application/json', body: JSON.stringify(node), status };
}
