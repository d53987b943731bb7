import { useEffect, useState, type ReactNode } from 'react';
import type { ColumnRoles } from '../../core/data/dataset';
import { sampleCsv } from '../../core/data/sample';
import type { TableSummary } from '../../shared/protocol';
import { Field } from './Field';
import { TableView } from './TableView';

interface Props {
  children?: ReactNode;
  table: TableSummary | null;
  busy: boolean;
  roles: ColumnRoles | null;
  onRoles: (roles: ColumnRoles) => void;
  onTable: (file: string, bytes: Uint8Array) => void;
  onError: (message: string) => void;
}

/** Step 1: a CSV in (drop, pick, or sample data), a preview, and the column roles. */
export function DataPanel({ children, table, busy, roles, onRoles, onTable, onError }: Props) {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (table)
      onRoles({
        text: table.guess.text ?? table.columns[0] ?? '',
        pair: table.guess.pair,
        label: table.guess.label ?? '',
      });
  }, [table, onRoles]);

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    const looksCsv =
      /\.(csv|tsv|txt)$/i.test(file.name) || file.type.includes('csv') || file.type.startsWith('text/');
    if (!looksCsv) {
      onError(`${file.name} is not a CSV file. Drop a .csv file with a header row, e.g. "review,rating".`);
      return;
    }
    // Bytes, not text: the Worker decodes them (UTF-8, UTF-16, Windows-1252) and says how.
    onTable(file.name, new Uint8Array(await file.arrayBuffer()));
  };

  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">1. Data</h2>
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
          void readFile(e.dataTransfer.files[0]);
        }}
      >
        <p>Drop a CSV of texts and ratings here. It is read in this tab and never uploaded.</p>
        <Field label="Choose a CSV file">
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            disabled={busy}
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
        </Field>
        <button
          type="button"
          disabled={busy}
          onClick={() => onTable('sample-reviews.csv', new TextEncoder().encode(sampleCsv(1000)))}
        >
          Try with sample data
        </button>
      </div>
      {table && <TableView table={table} roles={roles} onRoles={onRoles} />}
      {children}
    </section>
  );
}
