import {
  asyncScheduler,
  catchError,
  concatMap,
  defer,
  EMPTY,
  from,
  map,
  type Observable,
  type SchedulerLike,
  throwError,
} from 'rxjs';

import { objectSpec, type ObjectSpec } from '../pardot/catalogue';
import { ConfigError, ExportFailedError, PardotPipesError } from '../pardot/errors';
import type { ExportJob, ExportRequest, PardotApi } from '../pardot/types';
import { adaptive, growing, type PollSchedule } from '../operators/pollSchedules';
import { pollWithBackoff } from '../operators/pollWithBackoff';
import type { RetryTransientOptions } from '../operators/retryTransient';
import type { ExportRecord, StateStore } from '../state/types';
import { exportFileChunks } from './exportFileChunks';
import { defaultExportQueue, type ExportQueue } from './ExportQueue';
import type { PageFlow } from './PageFlow';
import { SECOND_MS } from './pagerContext';
import { pagesFrom } from './pagesFrom';
import type { Page, TimeWindow } from './types';

export interface ExportSourceOptions {
  /** Exportable catalogue object, e.g. `visitorActivity`. */
  object: string;
  window: TimeWindow;
  /** Stream id for pages and state. Default: the object name. */
  stream?: string;
  /**
   * Export procedure. Default `filter_by_created_at` for event objects, else
   * `filter_by_updated_at` (the first the object offers).
   */
  procedure?: string;
  /** Extra procedure arguments (`type`, `prospectOnly`, `deleted`). Default none. */
  arguments?: ExportRequest['arguments'];
  /** Fields to export (v3/v4 names). Default all. */
  fields?: string[];
  /** Run state: the export id is saved right after create and resumed on a re-run. */
  store?: StateStore;
  /** Account-wide queue of export jobs. Default: one shared queue, one job at a time. */
  queue?: ExportQueue;
  /**
   * Poll schedule. Default: `adaptive` over the store's recent durations of the object when
   * there are some, else `growing` (ceil(n*n/5 + 1) minutes).
   */
  schedule?: PollSchedule;
  /** Total poll time bound per export, milliseconds. Default 6 hours. */
  pollTimeoutMs?: number;
  /** Times a `Failed` or expired export is created again. Default 2. */
  maxRecreates?: number;
  /** Rows per page. Default 5000. */
  pageSize?: number;
  /** Delays between tries of a file cut off mid-download. Default retryTransient's. */
  downloadRetry?: RetryTransientOptions;
  /** Back-pressure from the sink (see PageFlow). Default none: pages are pushed as read. */
  flow?: PageFlow;
  /** Scheduler for poll waits and the clock of durations. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Rows per emitted page: large enough that per-page costs vanish, small enough that the
 * sink's back-pressure (PageFlow) keeps a few pages, not a file, in memory.
 */
const DEFAULT_PAGE_ROWS = 5000;

/**
 * Codes that make a saved export unusable, so it is created again from its saved request:
 * 178, the export's state forbids the call (expired); 16, the id is unknown (an export of
 * another server, such as an earlier embedded sandbox, or one Pardot no longer keeps).
 */
const UNUSABLE_EXPORT_CODES = new Set([178, 16]);

/**
 * Pulls one window through the Export API: create, poll until Complete, download every result
 * file, parse the CSV as it streams and emit Pages of typed rows. Export rows come in no
 * order, so pages carry no mark: the window is the unit of commit (`last: true` on the final
 * page, an empty one when the export has no data).
 *
 * - A window the store records as done emits nothing and creates no export.
 * - The export id and window are saved (`store.saveExport`) right after create, so a re-run
 *   resumes polling the same export instead of creating a duplicate. The `checkpoint`
 *   operator clears it once the window's last page is committed; this source never does.
 * - `Failed`, or expired or unknown (`isExpired`, code 178 or 16) when resumed, creates it
 *   again from the saved request, at most `maxRecreates` times.
 * - Create and poll run inside the account's `ExportQueue`; downloads run after the slot is
 *   released, so the next export can be created while this one downloads.
 *
 * ```
 * create  read  read  read(Complete)  download file 1, file 2
 * ------------------------------------[5000 rows]--[5000]--[1234, last]|
 * ```
 *
 * @example
 * exportSource(api, { object: 'visitorActivity', window, store })
 *   .pipe(parquetSink(options), checkpoint(store))
 *   .subscribe();
 */
export function exportSource(api: PardotApi, options: ExportSourceOptions): Observable<Page> {
  const spec = objectSpec(options.object);
  const stream = options.stream ?? spec.name;
  const request = exportRequest(api, spec, options);
  const job = new ExportJobRunner(api, spec, stream, request, options);
  const queue = options.queue ?? defaultExportQueue;

  return defer(() => {
    if (options.store?.progress(stream, options.window)?.done) return EMPTY;
    return queue.run(job.ready());
  }).pipe(
    concatMap((done) =>
      pagesFrom(
        { stream, object: spec.name, window: options.window },
        null,
        (signal) =>
          exportFileChunks(api, done.resultRefs, {
            object: spec.name,
            field: spec.exportProcedures![request.procedure].field,
            window: options.window,
            pageSize: options.pageSize ?? DEFAULT_PAGE_ROWS,
            signal,
            retry: options.downloadRetry,
          }),
        options.flow,
      ),
    ),
  );
}

/** The create request for a window: bounds strict, one second before the start and at the end. */
export function exportRequest(
  api: PardotApi,
  spec: ObjectSpec,
  options: ExportSourceOptions,
): ExportRequest {
  const procedures = spec.exportProcedures ?? {};
  const fallback =
    spec.kind === 'event' && procedures.filter_by_created_at
      ? 'filter_by_created_at'
      : Object.keys(procedures)[0];
  const procedure = options.procedure ?? fallback;
  const found = procedure ? procedures[procedure] : undefined;
  if (!found)
    throw new ConfigError(`${spec.name} has no export procedure '${procedure}'`, {
      object: spec.name,
    });

  const prefix = found.field.replace('_at', '');
  return {
    object: spec.name,
    procedure,
    arguments: {
      // Export bounds are strict: one second before the start keeps the start's own second.
      [`${prefix}_after`]: api.time.format(options.window.startMs - SECOND_MS),
      [`${prefix}_before`]: api.time.format(options.window.endMs),
      ...options.arguments,
    },
    ...(options.fields ? { fields: options.fields } : {}),
  };
}

/** Creates or resumes one export and waits until it is Complete. */
class ExportJobRunner {
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly api: PardotApi,
    private readonly spec: ObjectSpec,
    private readonly stream: string,
    private readonly request: ExportRequest,
    private readonly options: ExportSourceOptions,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /** The Complete job: resumed from the store when one was saved, else created. */
  ready(): Observable<ExportJob> {
    const saved = this.options.store?.exportFor(this.stream, this.options.window);
    const budget = this.options.maxRecreates ?? 2;
    if (!saved) return this.create(this.request, budget);

    return this.waitFor(saved, budget).pipe(
      catchError((error: unknown) =>
        isExportStateError(error) ? this.create(saved.request, budget) : throwError(() => error),
      ),
    );
  }

  private create(request: ExportRequest, budget: number): Observable<ExportJob> {
    return defer(() => this.api.createExport(request)).pipe(
      concatMap((job) => {
        const record: ExportRecord = {
          id: job.id,
          window: this.options.window,
          request,
          createdAtMs: this.scheduler.now(),
        };
        const saved = this.options.store?.saveExport(this.stream, record) ?? Promise.resolve();
        return from(saved).pipe(map(() => record));
      }),
      concatMap((record) => this.waitFor(record, budget)),
    );
  }

  private waitFor(record: ExportRecord, budget: number): Observable<ExportJob> {
    const durations = this.options.store?.exportDurations(this.spec.name) ?? [];
    return pollWithBackoff(
      (signal) => this.api.readExport(record.id, { signal, object: this.spec.name }),
      {
        until: (job) => job.isExpired || job.state === 'Complete' || job.state === 'Failed',
        schedule: this.options.schedule ?? (durations.length > 0 ? adaptive(durations) : growing),
        timeoutMs: this.options.pollTimeoutMs,
        exportId: record.id,
        scheduler: this.scheduler,
      },
    ).pipe(concatMap((job) => this.settle(job, record, budget)));
  }

  private settle(job: ExportJob, record: ExportRecord, budget: number): Observable<ExportJob> {
    if (job.state === 'Complete' && !job.isExpired) {
      const durationMs = this.scheduler.now() - record.createdAtMs;
      const saved = this.options.store?.addExportDuration(this.spec.name, durationMs);
      return from(saved ?? Promise.resolve()).pipe(map(() => job));
    }
    if (budget <= 0) {
      const why = job.isExpired ? 'expired' : 'failed';
      return throwError(
        () =>
          new ExportFailedError(
            `export ${job.id} of ${this.spec.name} ${why}; run again later`,
            job.id,
            {
              object: this.spec.name,
              operation: 'export.read',
            },
          ),
      );
    }
    return this.create(record.request, budget - 1);
  }
}

function isExportStateError(error: unknown): boolean {
  return (
    error instanceof PardotPipesError &&
    error.pardotCode !== undefined &&
    UNUSABLE_EXPORT_CODES.has(error.pardotCode)
  );
}
