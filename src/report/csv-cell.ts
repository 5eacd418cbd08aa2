/** CSV cells shared by the experiment outputs (RFC 4180 quoting; non-finite numbers empty). */
export const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const csvNumber = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? String(x) : '');
