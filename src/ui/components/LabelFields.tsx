import type { ColumnRoles } from '../../core/data/dataset';
import { labelChoiceOf, withLabelChoice, type LabelChoice } from '../labelChoice';
import { Field } from './Field';

/**
 * What a run predicts: a rating (one column), or several labels at once — several 0/1 columns, or one column of
 * tags split on a separator (the multi-label task; docs/multi-label.md).
 */
export function LabelFields({
  columns,
  roles,
  onRoles,
}: {
  columns: string[];
  roles: ColumnRoles;
  onRoles: (roles: ColumnRoles) => void;
}) {
  const choice = labelChoiceOf(roles);
  const options = columns.map((c) => <option key={c}>{c}</option>);
  const set = (next: LabelChoice) => onRoles(withLabelChoice(roles, next));
  return (
    <>
      <Field
        label="What to predict"
        hint="A rating (1–5 stars, say), or several labels at once: 0/1 columns, or a column of tags such as “dress;sizing”."
      >
        <select
          value={choice.kind}
          onChange={(e) => {
            const kind = e.target.value as LabelChoice['kind'];
            if (kind === 'rating') set({ kind, column: roles.label });
            else if (kind === 'columns') set({ kind, columns: [] });
            else set({ kind, column: roles.label, separator: ';' });
          }}
        >
          <option value="rating">A rating (one column)</option>
          <option value="columns">Several labels: 0/1 columns</option>
          <option value="tags">Several labels: a column of tags</option>
        </select>
      </Field>
      {choice.kind === 'rating' && (
        <Field label="Rating column" hint="The number to predict, e.g. 1–5 stars.">
          <select value={roles.label} onChange={(e) => set({ kind: 'rating', column: e.target.value })}>
            {!columns.includes(roles.label) && <option value="">(choose)</option>}
            {options}
          </select>
        </Field>
      )}
      {choice.kind === 'columns' && (
        <fieldset className="label-columns">
          <legend>Label columns (0/1, true/false or yes/no; at least two)</legend>
          {columns
            .filter((c) => c !== roles.text && c !== roles.pair)
            .map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  checked={choice.columns.includes(c)}
                  onChange={(e) =>
                    set({
                      kind: 'columns',
                      columns: e.target.checked
                        ? columns.filter((k) => k === c || choice.columns.includes(k))
                        : choice.columns.filter((k) => k !== c),
                    })
                  }
                />{' '}
                {c}
              </label>
            ))}
        </fieldset>
      )}
      {choice.kind === 'tags' && (
        <>
          <Field
            label="Tag column"
            hint="Each row's labels in one cell; an empty cell is a row with no label."
          >
            <select
              value={roles.label}
              onChange={(e) => set({ kind: 'tags', column: e.target.value, separator: choice.separator })}
            >
              {!columns.includes(roles.label) && <option value="">(choose)</option>}
              {options}
            </select>
          </Field>
          <Field label="Tag separator" hint="The character between tags, e.g. ; or |.">
            <input
              value={choice.separator}
              maxLength={3}
              onChange={(e) => set({ kind: 'tags', column: roles.label, separator: e.target.value })}
            />
          </Field>
        </>
      )}
    </>
  );
}
