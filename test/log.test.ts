import { describe, expect, it } from 'vitest';

import { createLogger, levelFromEnv } from '../src/log';

describe('createLogger', () => {
  it('writes lines at or above its level with fields', () => {
    const lines: string[] = [];
    const log = createLogger('client', { level: 'info', write: (l) => lines.push(l) });

    log.debug('hidden');
    log.info('request', { path: '/api/x', attempt: 2 });
    log.error('failed');

    expect(lines).toEqual([
      'pardot-pipes:client info request path=/api/x attempt=2',
      'pardot-pipes:client error failed',
    ]);
  });

  it('takes its level from the environment', () => {
    expect(levelFromEnv({})).toBe('silent');
    expect(levelFromEnv({ PARDOT_PIPES_DEBUG: '1' })).toBe('debug');
    expect(levelFromEnv({ PARDOT_PIPES_DEBUG: '0' })).toBe('silent');
    expect(levelFromEnv({ PARDOT_PIPES_LOG_LEVEL: 'WARN', PARDOT_PIPES_DEBUG: '1' })).toBe('warn');
  });
});
