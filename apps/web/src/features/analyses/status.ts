import type { AnalysisStatus, LabFlag } from '@medora/schema';

export interface StatusView {
  /** Still working: the page follows the status live. */
  live: boolean;
  /** Translation key of the status word. */
  labelKey: `analyses.status.${AnalysisStatus}`;
  /** Badge colour class. */
  tone: 'info' | 'success' | 'error';
  showReport: boolean;
}

/** What each status shows: a live view while queued or running, the report or the reason after. */
export function statusView(status: AnalysisStatus): StatusView {
  switch (status) {
    case 'queued':
    case 'running':
      return { live: true, labelKey: `analyses.status.${status}`, tone: 'info', showReport: false };
    case 'completed':
      return {
        live: false,
        labelKey: 'analyses.status.completed',
        tone: 'success',
        showReport: true,
      };
    case 'failed':
      return { live: false, labelKey: 'analyses.status.failed', tone: 'error', showReport: false };
  }
}

export const isFinished = (status: AnalysisStatus) => status === 'completed' || status === 'failed';

export interface FlagView {
  /** Translation key of the flag's words. */
  labelKey: `analyses.flag.${LabFlag | 'none'}`;
  /** A symbol read along the colour, so the flag never rests on colour alone. */
  symbol: string;
  tone: 'normal' | 'low' | 'high' | 'critical' | 'none';
}

export function flagView(flag: LabFlag | null): FlagView {
  switch (flag) {
    case 'N':
      return { labelKey: 'analyses.flag.N', symbol: '✓', tone: 'normal' };
    case 'L':
      return { labelKey: 'analyses.flag.L', symbol: '↓', tone: 'low' };
    case 'H':
      return { labelKey: 'analyses.flag.H', symbol: '↑', tone: 'high' };
    case 'LL':
      return { labelKey: 'analyses.flag.LL', symbol: '⇊', tone: 'critical' };
    case 'HH':
      return { labelKey: 'analyses.flag.HH', symbol: '⇈', tone: 'critical' };
    default:
      return { labelKey: 'analyses.flag.none', symbol: '–', tone: 'none' };
  }
}
