/** One request as the sandbox saw it. */
export interface LoggedRequest {
  method: string;
  /** Path without the query string, so no parameter (or secret) is recorded. */
  path: string;
  status: number;
  /** Pardot's numeric code of a fail body (v3/v4 `err_code`, v5 `code`); absent on success. */
  pardotCode?: number;
  /** Real (wall) time the request arrived and finished, epoch milliseconds. */
  startMs: number;
  endMs: number;
  /** API requests in flight when this one arrived, itself included. */
  inFlightAtStart: number;
  /** Kind of endpoint: `oauth`, `query`, `v5`, `export`, `download`, `other`. */
  kind: string;
}

/** The request log: every request the sandbox served, in arrival order. */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  private highWater = 0;

  /** Largest number of API requests ever in flight at once (OAuth calls excluded). */
  get maxInFlight(): number {
    return this.highWater;
  }

  /** API calls served (OAuth excluded), rejected ones included. */
  get calls(): number {
    return this.entries.filter((e) => e.kind !== 'oauth').length;
  }

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  noteInFlight(count: number): void {
    if (count > this.highWater) this.highWater = count;
  }

  clear(): void {
    this.entries.length = 0;
    this.highWater = 0;
  }
}
