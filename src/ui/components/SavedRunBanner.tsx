import type { SavedRunSummary } from '../../shared/protocol';
import { savedRunAdvice } from '../format';

interface Props {
  saved: SavedRunSummary;
  /** The loaded data file and model, to say what is still missing. */
  loadedFile: string | null;
  loadedModel: string | null;
  disabled: boolean;
  onResume: () => void;
  onDiscard: () => void;
}

/** A run saved in this browser that did not end (a reload, a crash): resume it from its step, or discard it. */
export function SavedRunBanner({ saved, loadedFile, loadedModel, disabled, onResume, onDiscard }: Props) {
  const advice = savedRunAdvice(saved, loadedFile, loadedModel);
  return (
    <div className="saved-run" role="region" aria-label="Saved run">
      <p>
        An interrupted run is saved in this browser: {saved.dataFile},{' '}
        {saved.baseModel === 'scratch' ? 'from scratch' : saved.baseModel}, step {saved.step} of{' '}
        {saved.totalSteps} (saved {new Date(saved.savedAt).toLocaleString()}). Starting a new run replaces it.
      </p>
      {advice && <p className="hint">{advice.text}</p>}
      <button type="button" onClick={onResume} disabled={disabled || advice?.blocking === true}>
        Resume run from step {saved.step} of {saved.totalSteps}
      </button>{' '}
      <button type="button" onClick={onDiscard} disabled={disabled}>
        Discard it
      </button>
    </div>
  );
}
