import { useState } from 'react';
import { ScrollRegion } from './ScrollRegion';
import type { EmbeddingRecord, TextRow } from '../../core/embed';
import { Field } from './Field';

interface Props {
  enabled: boolean;
  maxPositions: number;
  onEmbed: (rows: TextRow[], maxLength: number) => Promise<EmbeddingRecord[] | null>;
}

/** A forward pass on typed text: the proof that the loaded model runs on this machine's backend. */
export function EmbedPanel({ enabled, maxPositions, onEmbed }: Props) {
  const [text, setText] = useState('This dress fits perfectly and the fabric is lovely.');
  const [pair, setPair] = useState('');
  const [maxLength, setMaxLength] = useState(128);
  const [records, setRecords] = useState<EmbeddingRecord[] | null>(null);
  const limit = Math.min(maxLength, maxPositions);

  return (
    <section aria-labelledby="embed-heading">
      <h2 id="embed-heading">Forward pass</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onEmbed([{ text, pair: pair === '' ? null : pair }], limit).then(setRecords);
        }}
      >
        <Field label="Text">
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} />
        </Field>
        <Field label="Second text (optional: user or context)">
          <input value={pair} onChange={(e) => setPair(e.target.value)} />
        </Field>
        <Field
          label="Forward-pass max length (tokens)"
          hint="Counts [CLS] and [SEP]; longer texts are truncated."
        >
          <input
            type="number"
            min={4}
            max={maxPositions}
            value={maxLength}
            onChange={(e) => setMaxLength(Number(e.target.value))}
          />
        </Field>
        <button type="submit" disabled={!enabled}>
          Run forward pass
        </button>
      </form>
      {records && records[0] && (
        <div>
          <p>
            {records[0].input_ids.length} tokens: <code>{records[0].input_ids.join(' ')}</code>
          </p>
          <p>
            [CLS] state (first 8 of {records[0].cls.length}):{' '}
            <code>
              {records[0].cls
                .slice(0, 8)
                .map((v) => v.toFixed(4))
                .join(', ')}
            </code>
          </p>
          <p>
            Pooled output (first 8):{' '}
            <code>
              {records[0].pooled
                .slice(0, 8)
                .map((v) => v.toFixed(4))
                .join(', ')}
            </code>
          </p>
          <details>
            <summary>Raw output (JSON)</summary>
            <ScrollRegion label="Raw output" kind="code">
              <pre>{JSON.stringify(records)}</pre>
            </ScrollRegion>
          </details>
        </div>
      )}
    </section>
  );
}
