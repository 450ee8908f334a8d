import uPlot from 'uplot';

// The dashboard's plots, drawn by uPlot (a few tens of KB, canvas, fast on phones). Each plot keeps its chart
// and takes new data in place; it follows its container's width.

const COLORS = { created: '#2563eb', connected: '#16a34a', failed: '#dc2626', bars: '#0d9488' } as const;

/** Bars drawn by uPlot's own path builder (part of every uPlot build). */
const bars = (() => {
  const factory = uPlot.paths.bars;
  if (factory === undefined) throw new Error('This uPlot build draws no bars');
  return factory({ size: [0.7, 80] });
})();

function widthOf(container: HTMLElement): number {
  return Math.max(260, container.clientWidth);
}

/** A plot that can be fed again and resized with its container. */
export interface Plot {
  update(data: uPlot.AlignedData): void;
}

function keepSized(chart: uPlot, container: HTMLElement, height: number): void {
  new ResizeObserver(() => chart.setSize({ width: widthOf(container), height })).observe(container);
}

/** Calls created, connected and failed over time (x in seconds, as uPlot takes time). */
export function timePlot(
  container: HTMLElement,
  labels: { when: string; created: string; connected: string; failed: string },
): Plot {
  const height = 220;
  // Calls created as bars; of them, those connected and those failed as lines over the bars.
  const series = (label: string, stroke: string, asBars: boolean): uPlot.Series => ({
    label,
    stroke,
    width: 2,
    ...(asBars ? { fill: `${stroke}33`, paths: bars } : {}),
    points: { show: !asBars, size: 5 },
  });
  const chart = new uPlot(
    {
      width: widthOf(container),
      height,
      series: [
        { label: labels.when },
        series(labels.created, COLORS.created, true),
        series(labels.connected, COLORS.connected, false),
        series(labels.failed, COLORS.failed, false),
      ],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        {},
        { values: (_u, splits) => splits.map((value) => (Number.isInteger(value) ? String(value) : '')) },
      ],
    },
    [[], [], [], []],
    container,
  );
  keepSized(chart, container, height);
  return { update: (data) => chart.setData(data) };
}

/** Bars over named categories (a histogram's ranges, the funnel's steps). */
export function categoryPlot(container: HTMLElement, label: string, categories: readonly string[]): Plot {
  const height = 200;
  const chart = new uPlot(
    {
      width: widthOf(container),
      height,
      legend: { show: false },
      cursor: { show: true, points: { show: false } },
      series: [
        {},
        { label, stroke: COLORS.bars, fill: `${COLORS.bars}99`, paths: bars, points: { show: false } },
      ],
      scales: {
        x: { time: false, range: () => [-0.5, categories.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        {
          splits: () => categories.map((_, index) => index),
          values: (_u, splits) => splits.map((index) => categories[index] ?? ''),
          gap: 4,
          font: '11px system-ui, sans-serif',
        },
        { values: (_u, splits) => splits.map((value) => (Number.isInteger(value) ? String(value) : '')) },
      ],
    },
    [categories.map((_, index) => index), categories.map(() => 0)],
    container,
  );
  keepSized(chart, container, height);
  return {
    update: (data) => chart.setData(data),
  };
}

/** Counts as bars over the categories of a category plot. */
export function categoryData(counts: readonly number[]): uPlot.AlignedData {
  return [counts.map((_, index) => index), [...counts]];
}
