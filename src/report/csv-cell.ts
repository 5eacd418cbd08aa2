/**
 * The one CSV writer of every output (RFC 4180): a field is quoted only when it holds a comma,
 * quote or line break; numbers in their shortest round-trip form; non-finite numbers (CSV has no
 * NaN) and missing values empty.
 */
export const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const csvNumber = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? String(x) : '');

/** One line of CSV from strings and numbers. */
export function csvRow(fields: readonly (string | number | undefined)[]): string {
  return fields.map((f) => (typeof f === 'string' ? csvCell(f) : csvNumber(f))).join(',');
}
