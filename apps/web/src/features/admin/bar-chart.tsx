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
}: {
  id: string;
  title: string;
  points: { label: string; value: number }[];
  labelHeader: string;
  valueHeader: string;
  format: (value: number) => string;
}) {
  const width = 600;
  const height = 160;
  const max = Math.max(1, ...points.map((p) => p.value));
  const bar = width / Math.max(1, points.length);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
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
      </svg>
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
