// CSV cells as every CSV this tool writes them (evidence, inventory, populations, POA&M, catalog export).
// A spreadsheet skips leading white space and invisible characters (BOM, zero-width, no-break space)
// and reads full-width signs as their ASCII forms: a cell that starts with any of them is prefixed too.
const formulaStart = /^[\s\u00a0\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66]|^[\t\r\n\ufeff\u200b-\u200d\u2060]/;

/** Cells a spreadsheet would run as a formula are prefixed with an apostrophe (OWASP CSV injection advice). */
export function neutraliseFormula(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}

/**
 * One field as RFC 4180 wants it: quoted when it holds white space, a comma or a quote, quotes doubled.
 * A large pack's CSV has millions of fields; this is csv-stringify's text for them (a property test holds
 * the two together) at a fraction of the library's cost per row.
 */
export function csvField(value: string): string {
  const v = neutraliseFormula(value);
  return /[\s,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
