/** Options of a single call, the last argument of every SDK method. */
export interface RequestOptions {
  /** Overrides the client's `timeout` (milliseconds per attempt) for this call. */
  timeout?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /**
   * The `Idempotency-Key` of a POST or PATCH. Default: a random UUID per call, reused on its
   * retries. Pass your own to make retries safe across process restarts too.
   */
  idempotencyKey?: string;
  /** Aborts the call, including its retries. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
}
