import { useState } from 'react';
import { saveFile } from '../download';

interface Props {
  enabled: boolean;
  onExport: () => Promise<{ zip: Uint8Array; fileName: string } | null>;
}

/** Step 5: the Hugging Face-compatible weights as a zip, made in the Worker, saved by the browser. */
export function ExportPanel({ enabled, onExport }: Props) {
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">5. Export</h2>
      <p>
        A folder that <code>AutoModelForSequenceClassification.from_pretrained</code> loads as is: config,
        weights (safetensors), tokenizer, training settings, metrics and a model card.
      </p>
      <button
        type="button"
        disabled={!enabled || busy}
        onClick={() => {
          setBusy(true);
          void onExport()
            .then((r) => r && saveFile(r.zip, r.fileName, 'application/zip'))
            .finally(() => setBusy(false));
        }}
      >
        Download weights
      </button>
    </section>
  );
}
