import { DEFAULT_LORA, LORA_TARGETS, loraScaling } from '../../core/model/lora';
import { TRAIN_CONFIG_HELP as HELP, type TrainConfig } from '../../core/train/config';
import { SETTING_LABELS as L } from '../../core/train/settingNames';
import { Field } from './Field';

type Choice = 'all' | 'embeddings' | 'lora' | 'head';

function choiceOf(c: TrainConfig): Choice {
  if (c.lora) return 'lora';
  if (c.freeze.headOnly) return 'head';
  return c.freeze.embeddings ? 'embeddings' : 'all';
}

/** Which weights train: all, all but the embeddings, LoRA's updates and the head (with LoRA's settings), or the head. */
export function FineTuneField({
  config: c,
  onChange,
}: {
  config: TrainConfig;
  onChange: (c: TrainConfig) => void;
}) {
  const pick = (choice: Choice) =>
    onChange({
      ...c,
      lora: choice === 'lora' ? (c.lora ?? DEFAULT_LORA) : null,
      freeze: {
        ...c.freeze,
        headOnly: choice === 'head',
        embeddings: choice === 'embeddings',
        bottomLayers: choice === 'lora' ? 0 : c.freeze.bottomLayers,
      },
    });
  const lora = c.lora;
  const set = (patch: Partial<NonNullable<TrainConfig['lora']>>) =>
    lora && onChange({ ...c, lora: { ...lora, ...patch } });
  return (
    <>
      <Field label="Fine-tune" hint={`${HELP.freeze ?? ''}; ${HELP.lora ?? ''}`}>
        <select value={choiceOf(c)} onChange={(e) => pick(e.target.value as Choice)}>
          <option value="all">All weights</option>
          <option value="embeddings">All but the embeddings</option>
          <option value="lora">LoRA (low-rank updates + head)</option>
          <option value="head">The head only</option>
        </select>
      </Field>
      {lora && (
        <>
          <Field
            label={L['lora.r']}
            hint={`scaling alpha / ${lora.rslora ? '√r' : 'r'} = ${loraScaling(lora).toFixed(3)}`}
          >
            <input
              type="number"
              min={1}
              step={1}
              value={lora.r}
              onChange={(e) => set({ r: Math.max(1, Math.floor(Number(e.target.value)) || 1) })}
            />
          </Field>
          <Field label={L['lora.alpha']} hint="the update's scale; PEFT's usual is 2 × r">
            <input
              type="number"
              min={0}
              step="any"
              value={lora.alpha}
              onChange={(e) => set({ alpha: Number(e.target.value) })}
            />
          </Field>
          <Field label={L['lora.dropout']} hint="dropout on the adapted layers' input, in LoRA's branch only">
            <input
              type="number"
              min={0}
              max={0.9}
              step="any"
              value={lora.dropout}
              onChange={(e) => set({ dropout: Number(e.target.value) })}
            />
          </Field>
          <Field
            label="Rank-stabilised scaling (rsLoRA)"
            hint="alpha / √r instead of alpha / r: steadier for large r"
          >
            <input
              type="checkbox"
              checked={lora.rslora}
              onChange={(e) => set({ rslora: e.target.checked })}
            />
          </Field>
          <fieldset className="lora-targets">
            <legend>LoRA on</legend>
            {LORA_TARGETS.map((t) => (
              <label key={t} className="inline">
                <input
                  type="checkbox"
                  checked={lora.targets.includes(t)}
                  onChange={(e) =>
                    set({
                      targets: e.target.checked ? [...lora.targets, t] : lora.targets.filter((x) => x !== t),
                    })
                  }
                />{' '}
                {t === 'output.dense' ? 'output.dense (and, by PEFT’s rule, attention.output.dense)' : t}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </>
  );
}
