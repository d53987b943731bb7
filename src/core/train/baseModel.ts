/*
 * The model a run started from, as an export names it: something another machine can find. A checkpoint's source
 * says where this machine read it ("huggingface.co/prajjwal1/bert-tiny (main)", "folder /home/ana/models/bert-mini",
 * "my-model.zip", "dropped files", "scratch"); an export keeps the Hub's id, and of a local base only its own name —
 * never the directories of the machine it trained on.
 */

export type BaseReference =
  /** On the Hugging Face Hub: anyone can load it by id. */
  | { kind: 'hub'; id: string; revision: string }
  /** A folder, zip or files on the training machine: known elsewhere only by its own name. */
  | { kind: 'local'; name: string }
  /** A random start made for the run: it exists nowhere else. */
  | { kind: 'scratch' };

/** What a local base is called when its source gives no name (files dropped one by one). */
export const UNNAMED_LOCAL_BASE = 'base-model';

/** The base a checkpoint source stands for. */
export function baseReference(source: string): BaseReference {
  if (source === 'scratch') return { kind: 'scratch' };
  const hub = /^huggingface\.co\/(.+) \((.+)\)$/.exec(source);
  if (hub) return { kind: 'hub', id: hub[1] as string, revision: hub[2] as string };
  return { kind: 'local', name: localName(source) };
}

/** "folder /a/b/bert-mini/" → "bert-mini"; "C:\\m\\export.zip" → "export"; "dropped files" → "base-model". */
function localName(source: string): string {
  if (source === 'dropped files') return UNNAMED_LOCAL_BASE;
  const path = source.replace(/^folder /, '');
  const last = path
    .split(/[/\\]+/)
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .at(-1);
  return last?.replace(/\.zip$/i, '') || UNNAMED_LOCAL_BASE;
}

/** The source an export records: the Hub's as it was, a local base by its name alone ("folder bert-mini"). */
export function portableSource(source: string): string {
  const ref = baseReference(source);
  return ref.kind === 'local' ? `folder ${ref.name}` : source;
}

/** The base's name as Hugging Face's from_pretrained takes it: the Hub id, or the local folder's name. */
export function baseModelName(ref: BaseReference): string | null {
  return ref.kind === 'hub' ? ref.id : ref.kind === 'local' ? ref.name : null;
}

/** A file's own name, without the directories above it: what an export says of the data it trained on. */
export function fileName(path: string): string {
  return path.split(/[/\\]+/).at(-1) || path;
}
