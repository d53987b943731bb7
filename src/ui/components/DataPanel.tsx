import { useEffect, useState, type ReactNode } from 'react';
import type { ColumnRoles } from '../../core/data/dataset';
import type { RowLimit } from '../../core/data/rowLimit';
import { sampleCsv } from '../../core/data/sample';
import type { TableSummary } from '../../shared/protocol';
import { formatProgress } from '../format';
import { Field } from './Field';
import { RowLimitField } from './RowLimitField';
import { TableView } from './TableView';

interface Props {
  children?: ReactNode;
  table: TableSummary | null;
  busy: boolean;
  /** Choosing a file is locked while a model loads or a run trains (not while another file is read: it replaces it). */
  choosingLocked: boolean;
  roles: ColumnRoles | null;
  onRoles: (roles: ColumnRoles) => void;
  onTable: (file: string, blob: Blob) => void;
  onError: (message: string) => void;
  /** The file being read: bytes so far of its size. */
  reading: { file: string; read: number; total: number } | null;
  onCancelReading: () => void;
  rowLimit: RowLimit | null;
  onRowLimit: (limit: RowLimit | null) => void;
  /** After a run: what is only to look at (the preview) folds to a line. */
  folded?: boolean;
}

/** Step 1's body (Step.tsx folds it): a CSV in (drop, pick, or sample data), a preview, and the column roles. */
export function DataPanel(props: Props) {
  const { children, table, busy, roles, onRoles, onTable, onError, reading } = props;
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (table)
      onRoles({
        text: table.guess.text ?? table.columns[0] ?? '',
        pair: table.guess.pair,
        label: table.guess.label ?? '',
      });
  }, [table, onRoles]);

  const readFile = (file: File | undefined) => {
    if (!file) return;
    const looksCsv =
      /\.(csv|tsv|txt)$/i.test(file.name) || file.type.includes('csv') || file.type.startsWith('text/');
    if (!looksCsv) {
      onError(`${file.name} is not a CSV file. Drop a .csv file with a header row, e.g. "review,rating".`);
      return;
    }
    // The File itself: the Worker reads it in chunks and decodes them (UTF-8, UTF-16, Windows-1252), saying how.
    onTable(file.name, file);
  };

  return (
    <>
      <div
        className={dragging ? 'dropzone active' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          readFile(e.dataTransfer.files[0]);
        }}
      >
        <p>Drop a CSV of texts and ratings here. It is read in this tab and never uploaded.</p>
        <Field label="Choose a CSV file">
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            disabled={props.choosingLocked}
            onChange={(e) => {
              readFile(e.target.files?.[0]);
              e.target.value = ''; // so that choosing the same file again (edited, or after a stop) reads it again
            }}
          />
        </Field>
        <button
          type="button"
          disabled={props.choosingLocked}
          onClick={() => onTable('sample-reviews.csv', new Blob([sampleCsv(1000)]))}
        >
          Try with sample data
        </button>
      </div>
      {reading && (
        <div role="status" className="reading">
          <label>
            Reading {reading.file}: {formatProgress(reading.read, reading.total)}
            <progress value={reading.read} max={Math.max(1, reading.total)} />
          </label>
          <button type="button" onClick={props.onCancelReading}>
            Stop reading
          </button>
        </div>
      )}
      {table && <TableView table={table} roles={roles} onRoles={onRoles} folded={props.folded ?? false} />}
      {table && (
        <RowLimitField rows={table.rows} limit={props.rowLimit} onChange={props.onRowLimit} disabled={busy} />
      )}
      {children}
    </>
  );
}
