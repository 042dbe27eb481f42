/**
 * A uPlot time-series chart. uPlot draws on a canvas, which screen readers cannot read: the same
 * numbers are offered as a table under the chart.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from '../format';

export interface Series {
  label: string;
  values: number[];
  color: string;
  /** Dashed lines tell series apart without relying on colour alone. */
  dash?: number[];
}

export function TimeChart({ title, t, series, height = 220 }: { title: string; t: number[]; series: Series[]; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height,
      padding: [null, 28, null, null], // room for the last time label at the right edge
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
      axes: [
        // space: room for a label like "10:45pm" between ticks, so they never run together.
        { stroke: '#3f4a5a', grid: { stroke: '#e3e7ee' }, ticks: { stroke: '#c9d0db' }, space: 72 },
        { stroke: '#3f4a5a', grid: { stroke: '#e3e7ee' }, ticks: { stroke: '#c9d0db' }, size: 44 },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: 'Time', value: (_u, v) => (v == null ? '' : formatClock(v)) },
        ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: `${s.color}1a`, points: { show: false }, ...(s.dash ? { dash: s.dash } : {}) })),
      ],
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, [t, ...series.map((s) => s.values)], el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuild only when the series set changes; data updates use setData below.
  }, [series.map((s) => s.label).join('|'), height]);

  useEffect(() => {
    plot.current?.setData([t, ...series.map((s) => s.values)]);
  }, [t, ...series.map((s) => s.values)]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${title}. The numbers are in the table below the chart.`} />
      <details class="chart-table">
        <summary>Show the numbers as a table</summary>
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Minute</th>
                {series.map((s) => (
                  <th scope="col" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.map((ts, i) => (
                <tr key={ts}>
                  <th scope="row">{formatClock(ts)}</th>
                  {series.map((s) => (
                    <td key={s.label} class="num">
                      {s.values[i]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
