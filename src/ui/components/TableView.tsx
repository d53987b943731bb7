import type { ColumnRoles } from '../../core/data/dataset';
import { ScrollRegion } from './ScrollRegion';
import type { TableSummary } from '../../shared/protocol';
import { Field } from './Field';
import { LabelFields } from './LabelFields';
import { RowList, Warnings } from './Lists';

const NONE = '';

/** A parsed CSV: its summary, how it was read, a preview, the column roles and the malformed records. */
export function TableView({
  table,
  roles,
  onRoles,
  folded = false,
}: {
  table: TableSummary;
  roles: ColumnRoles | null;
  onRoles: (roles: ColumnRoles) => void;
  /** After a run: the preview folds to a line, opened on demand. */
  folded?: boolean;
}) {
  return (
    <>
      <p role="status" aria-label="Dataset summary">
        <strong>{table.file}</strong>: {table.rows.toLocaleString('en-US')} rows, {table.columns.length}{' '}
        columns
        {table.malformed.length > 0 && `, ${table.malformed.length} malformed row(s) (listed below)`}.
      </p>
      <Warnings label="How the file was read" items={table.warnings} />
      {folded ? (
        <details>
          <summary>Preview of the first rows</summary>
          <Preview table={table} />
        </details>
      ) : (
        <Preview table={table} />
      )}
      {roles && <RoleFields columns={table.columns} roles={roles} onRoles={onRoles} />}
      <RowList
        rows={table.malformed}
        summary={`${table.malformed.length} malformed row(s)`}
        label="Malformed rows"
      />
    </>
  );
}

function Preview({ table }: { table: TableSummary }) {
  return (
    <ScrollRegion label="Data preview" kind="wide">
      <table>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c}>{c || '(unnamed)'}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.preview.map((row, i) => (
            <tr key={i}>
              {table.columns.map((c) => (
                <td key={c}>{(row[c] ?? '').slice(0, 120)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function RoleFields({
  columns,
  roles,
  onRoles,
}: {
  columns: string[];
  roles: ColumnRoles;
  onRoles: (roles: ColumnRoles) => void;
}) {
  const options = columns.map((c) => <option key={c}>{c}</option>);
  return (
    <fieldset>
      <legend>Column roles</legend>
      <Field label="Text column" hint="The review, title or item description the model reads.">
        <select value={roles.text} onChange={(e) => onRoles({ ...roles, text: e.target.value })}>
          {options}
        </select>
      </Field>
      <Field
        label="Second text column (optional)"
        hint="A user or context text, read as BERT's second segment."
      >
        <select
          value={roles.pair ?? NONE}
          onChange={(e) => onRoles({ ...roles, pair: e.target.value === NONE ? null : e.target.value })}
        >
          <option value={NONE}>(none)</option>
          {options}
        </select>
      </Field>
      <LabelFields columns={columns} roles={roles} onRoles={onRoles} />
      <Field
        label="Group column (optional)"
        hint="A user or item id: Results then rank each group's rows (NDCG, MAP, per-group AUC)."
      >
        <select
          value={roles.group ?? NONE}
          onChange={(e) => onRoles({ ...roles, group: e.target.value === NONE ? null : e.target.value })}
        >
          <option value={NONE}>(none)</option>
          {options}
        </select>
      </Field>
      <Field
        label="Slice results by (optional)"
        hint="A department, an age, a region: Results then give the AUC of each value (numbers in five bands) and name those reliably below the whole."
      >
        <select
          value={roles.slice ?? NONE}
          onChange={(e) => onRoles({ ...roles, slice: e.target.value === NONE ? null : e.target.value })}
        >
          <option value={NONE}>(none)</option>
          {options}
        </select>
      </Field>
    </fieldset>
  );
}
