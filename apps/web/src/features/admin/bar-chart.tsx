/**
 * A small inline SVG bar chart. The picture is hidden from screen readers; the same numbers
 * follow in a table (visually hidden unless asked for), so the chart is never the only source.
 */
export function BarChart({
  id,
  title,
  points,
  labelHeader,
  valueHeader,
  format,
  emptyText,
}: {
  id: string;
  title: string;
  points: { label: string; value: number }[];
  labelHeader: string;
  valueHeader: string;
  format: (value: number) => string;
  /** Said instead of an empty picture when every value is zero. */
  emptyText: string;
}) {
  const width = 600;
  const height = 160;
  const max = Math.max(1, ...points.map((p) => p.value));
  const bar = width / Math.max(1, points.length);
  const empty = points.every((p) => p.value === 0);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {empty ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          height={height}
          aria-hidden="true"
          focusable="false"
        >
          {points.map((p, i) => {
            const h = Math.round((p.value / max) * (height - 4));
            return (
              <rect
                key={p.label}
                x={i * bar + 1}
                y={height - h}
                width={Math.max(1, bar - 2)}
                height={h}
                fill="currentColor"
              >
                <title>{`${p.label}: ${format(p.value)}`}</title>
              </rect>
            );
          })}
          <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="#8a949e" />
        </svg>
      )}
      {!empty && points.length > 1 && (
        <p className="chart__range muted" aria-hidden="true">
          <span>{points[0]!.label}</span>
          <span>{format(max)}</span>
          <span>{points.at(-1)!.label}</span>
        </p>
      )}
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{format(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
