export { childQuerySource, type ChildQuerySourceOptions } from './childQuerySource';
export { dateWindows, type DateWindowsOptions, type WindowStep } from './dateWindows';
export { defaultExportQueue, ExportQueue } from './ExportQueue';
export { exportRequest, exportSource, type ExportSourceOptions } from './exportSource';
export {
  GUIDE_STEPS,
  newestFirstWindows,
  type NewestFirstWindowsOptions,
} from './newestFirstWindows';
export { hasRepeatedHour, planQuery, type QueryPlan } from './queryPlan';
export { querySource, type QuerySourceOptions } from './querySource';
export type { Mark, Page, TimeWindow } from './types';
