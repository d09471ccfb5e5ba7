import { request } from 'undici';

import type { Sandbox } from '../../src/sandbox';

export interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** Calls the sandbox over HTTP with valid auth headers unless others are given. */
export async function call(
  sandbox: Sandbox,
  path: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<Got> {
  const res = await request(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? sandbox.authHeaders(),
    body: init.body,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** 2024-11-05 15:00 UTC: two days after the autumn DST change in New York. */
export const NOW = Date.UTC(2024, 10, 5, 15, 0, 0);
