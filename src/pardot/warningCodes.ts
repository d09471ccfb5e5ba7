/** Codes of a `Pardot-Warning` header: `203;message` entries joined by commas. */
export function warningCodes(header: string | string[] | undefined): number[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const codes: number[] = [];
  for (const match of text.matchAll(/(?:^|,)\s*(\d+)\s*;/g)) codes.push(Number(match[1]));
  return codes;
}
