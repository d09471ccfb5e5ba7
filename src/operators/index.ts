export { checkpoint } from './checkpoint';
export { dedupeById, type DedupeByIdOptions } from './dedupeById';
export { fromAbortable } from './fromAbortable';
export {
  adaptive,
  type AdaptiveOptions,
  fixed,
  growing,
  parsePollSchedule,
  type PollSchedule,
} from './pollSchedules';
export { pollWithBackoff, type PollWithBackoffOptions } from './pollWithBackoff';
export { progress, type ProgressEvent, type ProgressReporter } from './progress';
export { retryTransient, type RetryTransientOptions, transientDelayMs } from './retryTransient';
