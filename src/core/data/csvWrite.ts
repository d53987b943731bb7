import Papa from 'papaparse';

/** CSV text for rows (objects) or fields + data: quoted where needed, "\n" after every line, the last included. */
export function writeCsv(input: object[] | { fields: string[]; data: string[][] }): string {
  return `${Papa.unparse(input, { newline: '\n' })}\n`;
}

/** The prefix of the k-th choice of added column names: "", "tabtune_", "tabtune2_"… */
export function addedColumnPrefix(k: number): string {
  return k === 0 ? '' : k === 1 ? 'tabtune_' : `tabtune${k}_`;
}

/**
 * Names for columns a command adds to the input's: `wanted` as they are, or all with the first prefix of
 * `addedColumnPrefix` that clashes with no input column — the user's columns are never overwritten and no header is
 * written twice.
 */
export function freeColumnNames(inputColumns: readonly string[], wanted: readonly string[]): string[] {
  const taken = new Set(inputColumns);
  for (let k = 0; ; k++) {
    const names = wanted.map((c) => `${addedColumnPrefix(k)}${c}`);
    if (names.every((c) => !taken.has(c))) return names;
  }
}
