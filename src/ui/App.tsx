import { BackendBadge } from './components/BackendBadge';
import { EmbedPanel } from './components/EmbedPanel';
import { ModelPanel } from './components/ModelPanel';
import { useCompute } from './useCompute';

export function App() {
  const { state, loadModel, embed } = useCompute();
  return (
    <main>
      <header>
        <h1>TabTune</h1>
        <p>Fine-tune BERT on your own ratings, in this tab. Your data never leaves it.</p>
        <BackendBadge backend={state.backend} />
      </header>
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      {state.busy === 'loading' && <p role="status">Loading the model…</p>}
      <ModelPanel
        model={state.model}
        download={state.download}
        busy={state.busy !== null}
        onLoad={(s) => void loadModel(s)}
      />
      <EmbedPanel
        enabled={state.model !== null && state.busy === null}
        maxPositions={state.model?.maxPositions ?? 512}
        onEmbed={embed}
      />
    </main>
  );
}
