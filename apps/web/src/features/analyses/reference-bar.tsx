import { useTranslation } from 'react-i18next';
import { formatNumber } from './format';

export interface BarGeometry {
  /** The reference interval's start and width, 0…100 (percent of the bar). */
  bandStart: number;
  bandWidth: number;
  /** The value's marker, 0…100, clamped to the bar. */
  marker: number;
  /** The value lies beyond what the bar shows (the marker sits at an end). */
  clipped: 'low' | 'high' | null;
}

/**
 * Where a value sits against its reference interval. The interval fills the middle third of the
 * bar, so a value up to one interval's width outside it still shows where it is; beyond that the
 * marker stays at the end. With one bound only, the bar spans 0 to twice that bound.
 */
export function barGeometry(
  value: number,
  low: number | null,
  high: number | null,
): BarGeometry | null {
  if (!Number.isFinite(value)) return null;
  let min: number;
  let max: number;
  let lo: number;
  let hi: number;
  if (low !== null && high !== null && high > low) {
    const width = high - low;
    min = Math.max(0, low - width);
    max = high + width;
    lo = low;
    hi = high;
  } else if (high !== null && high > 0) {
    min = 0;
    max = high * 2;
    lo = 0;
    hi = high;
  } else if (low !== null && low > 0) {
    min = 0;
    max = low * 2;
    lo = low;
    hi = max;
  } else {
    return null;
  }
  const pct = (x: number) => ((x - min) / (max - min)) * 100;
  const raw = pct(value);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    bandStart: round(pct(lo)),
    bandWidth: round(pct(hi) - pct(lo)),
    marker: round(Math.min(100, Math.max(0, raw))),
    clipped: raw < 0 ? 'low' : raw > 100 ? 'high' : null,
  };
}

/** The bar itself (decorative SVG) with its text equivalent for screen readers and print. */
export function ReferenceBar({
  value,
  low,
  high,
  unit,
}: {
  value: number;
  low: number | null;
  high: number | null;
  unit: string;
}) {
  const { t, i18n } = useTranslation();
  const g = barGeometry(value, low, high);
  if (!g) return <span className="muted">{t('analyses.report.noRange')}</span>;
  const n = (x: number) => formatNumber(x, i18n.language);
  const text = t('analyses.report.rangeText', {
    value: n(value),
    low: low === null ? '—' : n(low),
    high: high === null ? '—' : n(high),
    unit,
  });
  return (
    <span className="ref-bar">
      <svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect className="ref-bar__track" x="0" y="4" width="100" height="4" rx="2" />
        <rect className="ref-bar__band" x={g.bandStart} y="3" width={g.bandWidth} height="6" />
        <rect
          className="ref-bar__marker"
          x={Math.max(0, g.marker - 1)}
          y="0"
          width="2"
          height="12"
        />
      </svg>
      <span className="visually-hidden">{text}</span>
    </span>
  );
}
