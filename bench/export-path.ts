/**
 * Export path: one export whose CSV holds about 1,000,000 visitor activities, downloaded from
 * the sandbox (in a child process) and written to Parquet, then to NDJSON; each run in its
 * own process. Rows per second count from the first download request to the last commit;
 * peak memory is the run's process.resourceUsage().maxRSS.
 *
 * Run: npx ts-node bench/export-path.ts [rows=1000000]
 */
import { checked, countText, figureTable, secondsText, type Figure } from './lib/figures';
import { measureInChild, type Format } from './lib/pipelineChild';

const MIN_ROWS_PER_SECOND = 100_000;
const MAX_RSS_MIB = 300;

/** Figures of the export path for one sink format. */
export function measureExportPath(format: Format, rows = 1_000_000): Figure[] {
  const r = measureInChild('export', rows, format);
  const name = `export ${countText(r.rows)} rows -> ${format}`;
  return [
    checked(
      `${name}: rows/s`,
      `${countText(r.rowsPerSecond)} (${secondsText(r.dataMs)})`,
      `>= ${countText(MIN_ROWS_PER_SECOND)}`,
      r.rowsPerSecond >= MIN_ROWS_PER_SECOND,
    ),
    checked(
      `${name}: peak RSS`,
      `${r.peakRssMiB} MiB`,
      `< ${MAX_RSS_MIB} MiB`,
      r.peakRssMiB < MAX_RSS_MIB,
    ),
  ];
}

function main(): void {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  const figures = (['parquet', 'ndjson'] as const).flatMap((f) => measureExportPath(f, rows));
  process.stdout.write(`${figureTable(figures)}\n`);
}

if (require.main === module) main();
