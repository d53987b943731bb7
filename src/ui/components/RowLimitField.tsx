import type { RowLimit } from '../../core/data/rowLimit';
import { TRAIN_CONFIG_HELP as HELP } from '../../core/train/config';
import { largeFileAdvice } from '../format';
import { SETTING_LABELS as L } from '../../core/train/settingNames';
import { Field } from './Field';

interface Props {
  rows: number;
  limit: RowLimit | null;
  onChange: (limit: RowLimit | null) => void;
  disabled: boolean;
}

/** Train on every row, or on part of the file: a random sample or the first rows (part of the run's settings). */
export function RowLimitField({ rows, limit, onChange, disabled }: Props) {
  const advice = largeFileAdvice(rows, limit !== null);
  return (
    <fieldset className="row-limit" disabled={disabled}>
      <legend>Rows to train on</legend>
      {advice && <p className="note">{advice}</p>}
      <Field label={L['rowLimit.pick']} hint={HELP.rowLimit ?? ''}>
        <select
          value={limit?.pick ?? 'all'}
          onChange={(e) =>
            onChange(
              e.target.value === 'all'
                ? null
                : {
                    rows: limit?.rows ?? Math.min(rows, 10_000),
                    pick: e.target.value as RowLimit['pick'],
                  },
            )
          }
        >
          <option value="all">Every row</option>
          <option value="random">A random sample</option>
          <option value="first">The first rows</option>
        </select>
      </Field>
      {limit && (
        <Field label={L['rowLimit.rows']}>
          <input
            type="number"
            min={1}
            step={1}
            value={limit.rows}
            onChange={(e) =>
              onChange({ ...limit, rows: Math.max(1, Math.floor(Number(e.target.value)) || 1) })
            }
          />
        </Field>
      )}
    </fieldset>
  );
}
