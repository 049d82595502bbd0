import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Creates the process logger. API keys and tokens are redacted here, in one place. Logs go to
 * stdout, or to stderr with `fd` 2 (the CLI keeps stdout for its output).
 */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'visitorflow' },
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', '*.secret', 'secret', 'key.secret'],
      censor: '[redacted]',
    },
  };
  return fd === 1 ? pino(options) : pino(options, pino.destination(2));
}
