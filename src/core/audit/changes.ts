import type { CsvTable } from '../data/csv';
import type { Example } from '../data/dataset';
import { TabTuneError } from '../errors';
import { auditColumnPrefix } from './report';
import { fileName } from '../train/baseModel';

/**
 * What a person decided after an audit: rows to leave out of training and rows whose rating to change. The data
 * file is never modified: a run applies these to its training and validation rows after the split (the test rows
 * stay as they are, so runs before and after compare on the same rows), and records what it did.
 */
export interface LabelChanges {
  /** Where the changes came from ("flagged.csv, suspicion ≥ 0.9", "the studio's label audit"). */
  source: string;
  /** Lines of the data file to leave out, each with the rating the audit saw there (checked: the same file). */
  exclude: { line: number; given: number }[];
  /** Lines of the data file, the rating the audit saw there, and the rating each gets instead. */
  relabel: { line: number; given: number; rating: number }[];
}

/** What applying the changes did, for the log, the record and the model card. */
export interface AppliedChanges {
  source: string;
  excluded: number;
  relabelled: number;
  /** Changed lines that fell in the test split, which is kept as it is. */
  untouchedInTest: number;
}

/**
 * Reads an audit's CSV back (`cli audit --out`, or the studio's download, edited or not): its `line`, `given`,
 * `suggested` and `suspicion` columns, the rows at or above `above` (all rows without it) excluded or relabelled to
 * their `suggested` rating. A row with an empty `suggested` is not relabelled. Refused by name when a column is
 * missing or a value is not a number.
 */
export function changesFromAuditFile(
  table: CsvTable,
  file: string,
  action: 'exclude' | 'relabel',
  above: number | null,
): LabelChanges {
  const prefix = auditColumnPrefix(table.columns);
  const need = ['line', 'given', 'suspicion', ...(action === 'relabel' ? ['suggested'] : [])];
  const lacking = need.filter((c) => !table.columns.includes(`${prefix ?? ''}${c}`));
  if (prefix === null || lacking.length > 0)
    throw new TabTuneError(
      'data',
      `${file} has no "${lacking[0] ?? 'suspicion'}" column: it is not a label audit's output. Give the CSV that \`cli audit --out\` or the studio's "Download flagged rows" wrote.`,
    );
  const number = (row: { line: number; values: Record<string, string> }, name: string) => {
    const c = `${prefix}${name}`;
    const raw = (row.values[c] ?? '').trim();
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v))
      throw new TabTuneError(
        'data',
        `${file} line ${row.line}: "${c}" is ${JSON.stringify(raw)}, not a number. Fix or remove that row.`,
      );
    return v;
  };
  const chosen = table.rows.filter((r) => above === null || number(r, 'suspicion') >= above);
  const cut = above === null ? 'every row' : `suspicion ≥ ${above}`;
  const name = fileName(file); // a record names the file, not where it sat on one machine
  if (action === 'exclude')
    return {
      source: `${name}, ${cut}`,
      exclude: chosen.map((r) => ({ line: number(r, 'line'), given: number(r, 'given') })),
      relabel: [],
    };
  const relabel = chosen
    .filter((r) => (r.values[`${prefix}suggested`] ?? '').trim() !== '')
    .map((r) => ({ line: number(r, 'line'), given: number(r, 'given'), rating: number(r, 'suggested') }));
  return { source: `${name}, ${cut}`, exclude: [], relabel };
}

/** Both kinds of change in one, sources joined; a line both excluded and relabelled is excluded. */
export function mergeChanges(a: LabelChanges | null, b: LabelChanges | null): LabelChanges | null {
  if (!a || !b) return a ?? b;
  return {
    source: `${a.source}; ${b.source}`,
    exclude: [...a.exclude, ...b.exclude],
    relabel: [...a.relabel, ...b.relabel],
  };
}

/**
 * Refuses changes that do not fit the data: a line the file does not have or whose rating is not the one the audit
 * saw (the audit was made from another file, or the file has changed since), a rating outside the scale, or one
 * line relabelled twice to different ratings. Every problem is named with its line. `ratings` maps each usable
 * line of the file (all of it, before any row limit) to its rating.
 */
export function checkChanges(
  changes: LabelChanges,
  ratings: ReadonlyMap<number, number>,
  file: string,
  scale: { min: number; max: number },
): void {
  const all = [...changes.exclude, ...changes.relabel];
  const missing = all.filter((c) => !ratings.has(c.line)).map((c) => c.line);
  if (missing.length > 0)
    throw new TabTuneError(
      'data',
      `${changes.source}: ${missing.length} line(s) are not usable rows of ${file} (${list(missing)}). Was the audit made from another file, or has ${file} changed? Audit ${file} again.`,
    );
  const changed = all.filter((c) => ratings.get(c.line) !== c.given);
  if (changed.length > 0)
    throw new TabTuneError(
      'data',
      `${changes.source}: ${changed.length} line(s) of ${file} no longer have the rating the audit saw (${changed
        .slice(0, 3)
        .map((c) => `line ${c.line}: ${ratings.get(c.line)}, audited as ${c.given}`)
        .join(
          '; ',
        )}${changed.length > 3 ? '; …' : ''}). Was the audit made from another file, or has ${file} changed? Audit ${file} again.`,
    );
  const seen = new Map<number, number>();
  for (const r of changes.relabel) {
    if (!(r.rating >= scale.min && r.rating <= scale.max))
      throw new TabTuneError(
        'data',
        `${changes.source}: line ${r.line} would get rating ${r.rating}, outside ${file}'s scale ${scale.min}–${scale.max}. Correct that row's "suggested" rating.`,
      );
    const before = seen.get(r.line);
    if (before !== undefined && before !== r.rating)
      throw new TabTuneError(
        'data',
        `${changes.source}: line ${r.line} is relabelled twice, to ${before} and to ${r.rating}. Keep one.`,
      );
    seen.set(r.line, r.rating);
  }
}

const list = (xs: readonly number[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', …' : ''}`;

/**
 * The training and validation rows with the changes applied (excluded rows left out, relabelled rows given their
 * new rating); the test rows are returned as they are, with a count of the changed lines among them.
 */
export function applyChanges(
  split: { train: Example[]; validation: Example[]; test: Example[] },
  changes: LabelChanges,
): { train: Example[]; validation: Example[]; test: Example[]; applied: AppliedChanges } {
  const excluded = new Set(changes.exclude.map((c) => c.line));
  const relabel = new Map(changes.relabel.map((r) => [r.line, r.rating]));
  let [nExcluded, nRelabelled] = [0, 0];
  const change = (rows: Example[]) =>
    rows.flatMap((e) => {
      if (excluded.has(e.line)) {
        nExcluded += 1;
        return [];
      }
      const rating = relabel.get(e.line);
      if (rating === undefined || rating === e.rating) return [e];
      nRelabelled += 1;
      return [{ ...e, rating }];
    });
  const train = change(split.train);
  const validation = change(split.validation);
  const untouchedInTest = split.test.filter((e) => excluded.has(e.line) || relabel.has(e.line)).length;
  return {
    train,
    validation,
    test: split.test,
    applied: { source: changes.source, excluded: nExcluded, relabelled: nRelabelled, untouchedInTest },
  };
}

/** "left out 42 rows and relabelled 3 (flagged.csv, suspicion ≥ 0.9); 9 flagged rows in test kept as they are". */
export function describeApplied(a: AppliedChanges): string {
  const tail =
    a.untouchedInTest > 0
      ? `; ${a.untouchedInTest} of the changed rows are test rows, kept as they are so that runs compare on the same rows`
      : '';
  return `label changes from ${a.source}: left out ${a.excluded} row(s), relabelled ${a.relabelled}${tail}`;
}
