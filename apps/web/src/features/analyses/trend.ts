import type { AnalysisOutput } from '@medora/schema';

export interface TrendPoint {
  date: Date;
  value: number;
  low: number | null;
  high: number | null;
}

export interface TrendSeries {
  code: string;
  name: string;
  unit: string;
  points: TrendPoint[];
}

/** One series per analyte across completed reports: SI values only, oldest first. */
export function trendSeries(analyses: readonly AnalysisOutput[]): TrendSeries[] {
  const byCode = new Map<string, TrendSeries>();
  const sorted = [...analyses]
    .filter((a) => a.status === 'completed' && a.report)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const a of sorted) {
    for (const lab of a.report!.labs) {
      if (lab.siValue === null || lab.siUnit === null) continue;
      let series = byCode.get(lab.code);
      if (!series) {
        series = { code: lab.code, name: lab.name, unit: lab.siUnit, points: [] };
        byCode.set(lab.code, series);
      }
      if (series.unit !== lab.siUnit) continue;
      series.points.push({
        date: a.createdAt,
        value: lab.siValue,
        low: lab.referenceLow,
        high: lab.referenceHigh,
      });
    }
  }
  return [...byCode.values()].sort((x, y) => y.points.length - x.points.length);
}

export interface ChartGeometry {
  points: { x: number; y: number }[];
  band: { y: number; height: number } | null;
  yTicks: { y: number; value: number }[];
}

/** Plain linear scales onto a `width` × `height` plot (no chart library). */
export function chartGeometry(series: TrendSeries, width: number, height: number): ChartGeometry {
  const pts = series.points;
  const times = pts.map((p) => p.date.getTime());
  const last = pts.at(-1);
  const low = last?.low ?? null;
  const high = last?.high ?? null;
  const values = [
    ...pts.map((p) => p.value),
    ...(low !== null ? [low] : []),
    ...(high !== null ? [high] : []),
  ];
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  const pad = (max - min) * 0.1;
  min = Math.max(0, min - pad);
  max += pad;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) => height - ((v - min) / (max - min)) * height;
  const band =
    low !== null || high !== null
      ? { y: y(high ?? max), height: y(low ?? min) - y(high ?? max) }
      : null;
  const yTicks = [0, 0.5, 1].map((f) => {
    const value = min + (max - min) * f;
    return { y: y(value), value };
  });
  return { points: pts.map((p) => ({ x: x(p.date.getTime()), y: y(p.value) })), band, yTicks };
}
