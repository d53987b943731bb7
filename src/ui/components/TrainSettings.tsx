import type { Task } from '../../core/data/labels';
import { TRAIN_CONFIG_HELP as HELP, type TrainConfig } from '../../core/train/config';
import { SETTING_LABELS as L } from '../../core/train/settingNames';
import { Field } from './Field';
import { FineTuneField } from './FineTuneField';

interface Props {
  config: TrainConfig;
  onChange: (c: TrainConfig) => void;
  disabled: boolean;
}

/** The hyperparameters, with defaults filled in and one line of explanation each. */
export function TrainSettings({ config: c, onChange, disabled }: Props) {
  const num = (key: keyof TrainConfig, label: string, hint: string, step = 'any', min?: number) => (
    <Field label={label} hint={hint}>
      <input
        type="number"
        step={step}
        min={min}
        disabled={disabled}
        value={String(c[key] ?? '')}
        onChange={(e) => onChange({ ...c, [key]: e.target.value === '' ? null : Number(e.target.value) })}
      />
    </Field>
  );
  return (
    <fieldset className="settings" disabled={disabled}>
      <legend>Settings</legend>
      <Field label={L.task} hint={HELP.task ?? ''}>
        {c.task === 'multi-label' ? (
          <select value={c.task} disabled>
            <option value="multi-label">Several labels (multi-label), as the Data step names them</option>
          </select>
        ) : (
          <select value={c.task} onChange={(e) => onChange({ ...c, task: e.target.value as Task })}>
            <option value="regression">Regression (predict the rating)</option>
            <option value="classification">Classification (one class per rating)</option>
            <option value="binary">Binary (rating ≥ threshold)</option>
          </select>
        )}
      </Field>
      {num('epochs', L.epochs, HELP.epochs ?? '', '1', 1)}
      {num('batchSize', L.batchSize, HELP.batchSize ?? '', '1', 1)}
      {num('learningRate', L.learningRate, HELP.learningRate ?? '')}
      {num('maxLength', `${L.maxLength} (tokens)`, HELP.maxLength ?? '', '1', 4)}
      <FineTuneField config={c} onChange={onChange} />
      {/* What few change: folded, so the settings a run is mostly about fit the steps' column. */}
      <details className="advanced">
        <summary>Advanced settings</summary>
        <div className="settings-grid">
          {num('weightDecay', L.weightDecay, HELP.weightDecay ?? '')}
          {num('warmupRatio', L.warmupRatio, HELP.warmupRatio ?? '')}
          {num('dropout', `${L.dropout} (empty: the model’s own)`, HELP.dropout ?? '')}
          {num(
            'threshold',
            `${L.threshold} (empty: top quarter, 4 on 1–5)`,
            'ratings at or above it count as positive for AUC',
          )}
          {num('seed', L.seed, HELP.seed ?? '', '1', 0)}
          {num('evalsPerEpoch', L.evalsPerEpoch, 'how often validation loss and AUC are measured', '1', 1)}
          <Field label={`${L['earlyStopping.patience']} (0: off)`} hint={HELP.earlyStopping ?? ''}>
            <input
              type="number"
              min={0}
              step="1"
              value={c.earlyStopping.patience}
              onChange={(e) =>
                onChange({ ...c, earlyStopping: { ...c.earlyStopping, patience: Number(e.target.value) } })
              }
            />
          </Field>
          <Field
            label={L['freeze.bottomLayers']}
            hint="encoder layers nearest the input keep their pretrained weights"
          >
            <input
              type="number"
              min={0}
              step="1"
              value={c.freeze.bottomLayers}
              onChange={(e) =>
                onChange({ ...c, freeze: { ...c.freeze, bottomLayers: Number(e.target.value) } })
              }
            />
          </Field>
          {num(
            'validationFraction',
            L.validationFraction,
            'held out to pick the best step and stop early (stratified by rating)',
            '0.05',
            0,
          )}
          {num(
            'testFraction',
            L.testFraction,
            'held out until the end, for an honest final score',
            '0.05',
            0,
          )}
          <Field label="Group batches by length" hint={HELP.groupByLength ?? ''}>
            <input
              type="checkbox"
              checked={c.groupByLength}
              onChange={(e) => onChange({ ...c, groupByLength: e.target.checked })}
            />
          </Field>
          <Field label="Keep groups in one split" hint={HELP.groupSplit ?? ''}>
            <input
              type="checkbox"
              checked={c.groupSplit}
              onChange={(e) => onChange({ ...c, groupSplit: e.target.checked })}
            />
          </Field>
          <Field label="Classical baseline" hint={HELP.classicalBaseline ?? ''}>
            <input
              type="checkbox"
              checked={c.classicalBaseline}
              onChange={(e) => onChange({ ...c, classicalBaseline: e.target.checked })}
            />
          </Field>
        </div>
      </details>
    </fieldset>
  );
}
