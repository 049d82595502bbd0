import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger. API keys and tokens are redacted here, in one place. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'visitorflow' },
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.secret', 'secret', 'key.secret'],
      censor: '[redacted]',
    },
  });
}
