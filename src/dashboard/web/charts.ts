// Apache ECharts, with only the chart types the dashboard draws, rendering SVG (so every number a
// chart shows is text in the page, for people, screen readers and tests alike).
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { h } from './dom.js';

use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, SVGRenderer]);

/** The options the dashboard's charts use. */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | VisualMapComponentOption
>;

/** Colours of the page, shared with the stylesheet. */
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const ACCENT = '#e60023';
export const SERIES = ['#2563eb', '#e60023', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/** One colour per category, the same in every chart. */
const CATEGORY_COLORS: Record<string, string> = {
  art: '#e60023',
  beauty: '#f472b6',
  christmas: '#15803d',
  'diy-and-crafts': '#f97316',
  education: '#2563eb',
  'event-planning': '#7c3aed',
  finance: '#0d9488',
  'home-decor': '#a16207',
  'mens-fashion': '#1e293b',
  quotes: '#d946ef',
  tattoos: '#78716c',
  travel: '#06b6d4',
  vehicles: '#84cc16',
};

/** The colour of a category (a stable pick from the series colours for one not in the list). */
export function categoryColor(category: string | null | undefined): string {
  if (!category) return '#9ca3af';
  const known = CATEGORY_COLORS[category];
  if (known) return known;
  let n = 0;
  for (const c of category) n = (n * 31 + c.charCodeAt(0)) >>> 0;
  return SERIES[n % SERIES.length];
}

/** A grid `margin` px inside the chart (room for axis labels is given by the caller: see labelRoom). */
export function grid(margin: { left?: number | string; right?: number | string; top?: number | string; bottom?: number | string }): ChartOption['grid'] {
  return { left: 48, right: 16, top: 16, bottom: 28, ...margin, outerBoundsMode: 'none' };
}

/** Pixels for a column of axis labels of 12px text (at most `max`; longer ones are cut with an ellipsis). */
export function labelRoom(labels: readonly string[], max = 150): number {
  const longest = Math.max(0, ...labels.map((l) => [...l].length));
  return Math.min(max, Math.ceil(longest * 7.2)) + 22;
}

/** Options every chart shares: fonts, axes and tooltip colours. */
export function baseOption(): ChartOption {
  return {
    animationDuration: 350,
    textStyle: { fontFamily: 'inherit', color: INK },
    grid: grid({}),
    tooltip: {
      trigger: 'item',
      backgroundColor: '#ffffff',
      borderColor: GRID,
      textStyle: { color: INK, fontSize: 12 },
      confine: true,
    },
  };
}

/** Tooltip content as elements (never an HTML string): a title line and label/value rows. */
export function tip(title: string, rows: [string, string][]): HTMLElement {
  return h(
    'div',
    { class: 'tip' },
    h('div', { class: 'tip-title' }, title),
    ...rows.map(([k, v]) => h('div', { class: 'tip-row' }, h('span', {}, k), h('b', {}, v))),
  );
}

/** A chart in an element: resized with it, redrawn by set(). */
export class Chart {
  private readonly chart: EChartsType;

  constructor(readonly el: HTMLElement) {
    this.chart = init(el, undefined, { renderer: 'svg' });
    new ResizeObserver(() => this.chart.resize()).observe(el);
  }

  /** Draw `option` (replacing the previous one). */
  set(option: ChartOption): void {
    this.chart.setOption(option, { notMerge: true, lazyUpdate: false });
  }
}
