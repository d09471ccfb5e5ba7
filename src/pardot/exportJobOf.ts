import type { ExportJob, ExportState } from './types';

/**
 * The export job in a create or read reply, wrapped in `export` (what clients see) or bare
 * (the docs' short examples), with `resultRefs` normalised to an array: Pardot sends a string
 * for one file, an array for several, and nothing when there is no data. Null when the reply
 * holds no export id.
 */
export function exportJobOf(body: Record<string, unknown>): ExportJob | null {
  const wrapped = body.export;
  const job = (wrapped !== null && typeof wrapped === 'object' ? wrapped : body) as Record<
    string,
    unknown
  >;
  const id = Number(job.id);
  if (job.id === undefined || job.id === null || !Number.isFinite(id)) return null;

  const refs = job.resultRefs;
  return {
    id,
    state: String(job.state) as ExportState,
    isExpired: job.isExpired === true || job.isExpired === 'true' || job.isExpired === 1,
    resultRefs: typeof refs === 'string' ? [refs] : Array.isArray(refs) ? refs.map(String) : [],
    ...(job.createdAt ? { createdAt: String(job.createdAt) } : {}),
    ...(job.updatedAt ? { updatedAt: String(job.updatedAt) } : {}),
  };
}
