import { useCallback, useRef, type Dispatch, type SetStateAction } from 'react';
import type { ColumnRoles } from '../core/data/dataset';
import type { TrainConfig } from '../core/train/config';
import type { Params, Reply } from '../shared/protocol';
import { Latest, replaced } from './latest';
import { applyEvent, type TrainerState } from './trainerState';
import type { CallOptions } from '../shared/workerClient';

type AuditCall = (
  type: 'audit',
  params: Params<'audit'>,
  options?: CallOptions,
) => Promise<Reply<'audit'> | null>;

/** The label audit's actions: run it (the last asked wins; a new one stops the old), stop it, clear it. */
export function useAudit(call: AuditCall, setState: Dispatch<SetStateAction<TrainerState>>) {
  const audits = useRef(new Latest()).current;
  const auditLabels = useCallback(
    async (roles: ColumnRoles, config: TrainConfig, folds: number, model: Params<'audit'>['model']) => {
      const signal = audits.ask();
      setState((s) => ({ ...s, error: null, audit: { ...s.audit, folds: null, running: true } }));
      const onEvent = (e: Parameters<typeof applyEvent>[1]) => setState((s) => applyEvent(s, e));
      const report = await call('audit', { roles, config, folds, model }, { onEvent, signal });
      if (replaced(signal)) return;
      setState((s) => ({ ...s, audit: { report: report ?? s.audit.report, folds: null, running: false } }));
    },
    [call, setState, audits],
  );
  const stopAudit = useCallback(() => {
    audits.stop();
    setState((s) => ({ ...s, audit: { ...s.audit, folds: null, running: false } }));
  }, [audits, setState]);
  /** Forgets the audit (another file or other columns: its lines and ratings no longer apply). */
  const clearAudit = useCallback(() => {
    audits.stop();
    setState((s) => ({ ...s, audit: { report: null, folds: null, running: false } }));
  }, [audits, setState]);
  return { auditLabels, stopAudit, clearAudit };
}
