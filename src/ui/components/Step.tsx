import { useState, type ReactNode } from 'react';

interface Props {
  /** Names its heading (`${id}-heading`), its body and its summary's test id. */
  id: string;
  title: string;
  /** The step in a button's words: "Edit the data". */
  name: string;
  /** Its one-line summary once finished; null while there is nothing to sum up (it does not fold then). */
  summary: string | null;
  /** Whether the page folds its finished steps now (ui/trainerState.ts `stepsFold`). */
  fold: boolean;
  /** A run holds the step: it can be looked at, not changed ("Show", not "Edit"). */
  locked: boolean;
  children: ReactNode;
}

/**
 * One of the studio's steps (data, model, settings): a section that, when the page folds its finished steps,
 * shows a line of what was given with "Edit" to open it again. Opened, it stays open until the next run starts.
 * The body stays mounted (hidden), so what is typed or chosen in it is kept.
 */
export function Step({ id, title, name, summary, fold, locked, children }: Props) {
  const [opened, setOpened] = useState(false);
  const [wasLocked, setWasLocked] = useState(locked);
  if (locked !== wasLocked) {
    // A run starting folds the steps opened before it (React's way to adjust state to a changed prop).
    setWasLocked(locked);
    if (locked) setOpened(false);
  }
  const foldable = fold && summary !== null;
  const folded = foldable && !opened;
  const verb = folded ? (locked ? 'Show' : 'Edit') : 'Collapse';
  return (
    <section aria-labelledby={`${id}-heading`} className={folded ? 'step folded' : 'step'}>
      <div className="step-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        {foldable && (
          <button
            type="button"
            className="step-toggle"
            aria-expanded={!folded}
            aria-controls={`${id}-body`}
            aria-label={`${verb} ${name}`}
            onClick={() => setOpened(folded)}
          >
            {verb}
          </button>
        )}
      </div>
      {folded && (
        <p className="step-summary" data-testid={`${id}-summary`}>
          {summary}
        </p>
      )}
      <div id={`${id}-body`} hidden={folded}>
        {children}
      </div>
    </section>
  );
}
