import type { ColumnRoles } from '../../core/data/dataset';
import type { TrainConfig } from '../../core/train/config';
import { dataLine, settingsLine } from '../stepSummaries';

interface Props {
  file: string;
  usable: number | null;
  roles: ColumnRoles;
  /** The model a run fine-tunes ("from scratch" when none is loaded or chosen). */
  model: string;
  config: TrainConfig;
  onStart: () => void;
}

/**
 * The shortest way to a first run, in view as soon as a file is read: what a run would use — the file, its columns,
 * the model and the recipe's main settings — and a button that starts it. Everything can still be checked and
 * changed in the steps below first.
 */
export function QuickStart({ file, usable, roles, model, config: c, onStart }: Props) {
  return (
    <section className="quick-start" aria-labelledby="quick-start-heading">
      <h2 id="quick-start-heading">Ready to train</h2>
      <p>
        {dataLine(file, usable, roles)}; {model}; {settingsLine(c)}.{' '}
        <button type="button" onClick={onStart}>
          Quick start
        </button>{' '}
        — or check the data, the model and the settings below first.
      </p>
    </section>
  );
}
