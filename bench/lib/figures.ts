/** One measured figure, as the bench table prints it. */
export interface Figure {
  /** What was measured, e.g. `query path: wall / floor`. */
  name: string;
  /** The measured value, formatted with its unit. */
  value: string;
  /** The target, or '' when the figure is informative only. */
  target: string;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
}

/** A figure with a target. */
export function checked(name: string, value: string, target: string, met: boolean): Figure {
  return { name, value, target, met };
}

/** A figure printed for information, with no target. */
export function info(name: string, value: string): Figure {
  return { name, value, target: '', met: null };
}

/** Figures as an aligned plain-text table: figure, value, target, met?. */
export function figureTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'target', 'met?'];
  const rows = figures.map((f) => [f.name, f.value, f.target, metText(f.met)]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const render = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(header), rule, ...rows.map(render)].join('\n');
}

/** Figures as a Markdown table, for the README. */
export function figureMarkdown(figures: readonly Figure[]): string {
  const lines = ['| figure | value | target | met? |', '|---|---|---|---|'];
  for (const f of figures)
    lines.push(`| ${f.name} | ${f.value} | ${f.target} | ${metText(f.met)} |`);
  return lines.join('\n');
}

function metText(met: boolean | null): string {
  if (met === null) return '';
  return met ? 'yes' : 'NO';
}

/** Milliseconds as seconds with two decimals: `12.34 s`. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A count with thousands separators. */
export function countText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
