import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Closes the socket after writing this many bytes of the body. */
  cutAfter?: number;
}

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** A tiny node:http server answering with `handle`; for error paths the sandbox lacks. */
export async function startFake(
  handle: (req: FakeRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const fake: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(fake);
      void Promise.resolve(handle(fake)).then((reply) => {
        const body = reply.body ?? '';
        const headers = { 'content-type': 'application/json', ...reply.headers };
        if (reply.cutAfter !== undefined) {
          res.writeHead(reply.status ?? 200, {
            ...headers,
            'content-length': Buffer.byteLength(body),
          });
          res.write(body.slice(0, reply.cutAfter));
          setTimeout(() => res.socket?.destroy(), 5);
          return;
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A v3/v4 JSON success body with rows under `result[rowKey]`. */
export function okBody(rowKey: string, rows: unknown): string {
  return JSON.stringify({ '@attributes': { stat: 'ok', version: 1 }, result: { [rowKey]: rows } });
}

/** A v3/v4 JSON fail body. */
export function failBody(code: number, text: string): string {
  return JSON.stringify({ '@attributes': { stat: 'fail', version: 1, err_code: code }, err: text });
}

export const BU = '0Uv000000000001AAA';
