// How each of the ten result sets is drawn: ranked bars for "the most … per …", a heatmap for
// counts over two keys, lines over years, grouped bars for medians over two keys. Every bar and
// point carries its exact value as a label.
import { ACCENT, baseOption, grid, labelRoom, categoryColor, GRID, MUTED, SERIES, tip, type ChartOption } from './charts.js';
import { compact, int, NONE } from './format.js';
import { rankedLabel, TOP, type ResultSet } from './labels.js';

type Row = ResultSet['rows'][number];

const label = (v: string | number | null): string => (v === null ? '(none)' : String(v));
const AGE_ORDER = ['18-24', '25-35', '36-50', '+50'];

/** Rows grouped by a key column, in first-seen order: ties of "the most" become one entry with several names. */
function groupBy(rows: readonly Row[], key: string, name: string, value: string): { key: string; names: string[]; value: number | null }[] {
  const out = new Map<string, { key: string; names: string[]; value: number | null }>();
  for (const r of rows) {
    const k = label(r[key]);
    const e = out.get(k) ?? { key: k, names: [], value: r[value] as number | null };
    e.names.push(label(r[name]));
    out.set(k, e);
  }
  return [...out.values()];
}

/** Horizontal bars, largest on top, each labelled with its winner(s) and value. */
function rankedBars(
  entries: { key: string; names: string[]; value: number | null }[],
  opts: { colorBy?: 'name'; valueName: string; keyName: string; nameName: string },
): ChartOption {
  const shown = entries.slice(0, TOP);
  return {
    ...baseOption(),
    grid: grid({ left: labelRoom(shown.map((e) => e.key)), right: '36%', top: 8, bottom: 24 }),
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v), color: MUTED }, splitLine: { lineStyle: { color: GRID } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: shown.map((e) => e.key),
      axisTick: { show: false },
      axisLabel: { color: MUTED, width: 150, overflow: 'truncate' },
    },
    tooltip: {
      ...baseOption().tooltip,
      formatter: (p: unknown) => {
        const e = shown[(p as { dataIndex: number }).dataIndex];
        return tip(e.key, [
          [opts.nameName, e.names.join(', ')],
          [opts.valueName, int(e.value)],
        ]);
      },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: shown.map((e) => ({
          value: e.value ?? 0,
          itemStyle: { color: opts.colorBy === 'name' ? categoryColor(e.names[0]) : SERIES[0], borderRadius: [0, 3, 3, 0] },
        })),
        label: {
          show: true,
          position: 'right',
          color: '#374151',
          fontSize: 11,
          formatter: (p: { dataIndex: number }) => rankedLabel(shown[p.dataIndex].names, shown[p.dataIndex].value),
        },
      },
    ],
  };
}

/** Vertical bars or a line over keys, each point labelled with its exact value. */
function overKeys(keys: string[], values: (number | null)[], kind: 'bar' | 'line', valueName: string): ChartOption {
  return {
    ...baseOption(),
    grid: grid({ left: 52, right: 24, top: 28, bottom: 28 }),
    xAxis: { type: 'category', data: keys, axisTick: { show: false }, axisLabel: { color: MUTED } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v), color: MUTED }, splitLine: { lineStyle: { color: GRID } } },
    tooltip: {
      ...baseOption().tooltip,
      formatter: (p: unknown) => tip(keys[(p as { dataIndex: number }).dataIndex], [[valueName, int(values[(p as { dataIndex: number }).dataIndex])]]),
    },
    series: [
      kind === 'bar'
        ? {
            type: 'bar',
            barMaxWidth: 48,
            data: values,
            itemStyle: { color: SERIES[0], borderRadius: [3, 3, 0, 0] },
            label: { show: true, position: 'top', color: '#374151', fontSize: 11, formatter: (p: { value: unknown }) => int(p.value as number | null) },
          }
        : {
            type: 'line',
            data: values,
            smooth: false,
            symbolSize: 7,
            lineStyle: { color: ACCENT, width: 2.5 },
            itemStyle: { color: ACCENT },
            areaStyle: { color: 'rgba(230, 0, 35, 0.08)' },
            label: { show: true, position: 'top', color: '#374151', fontSize: 11, formatter: (p: { value: unknown }) => int(p.value as number | null) },
          },
    ],
  };
}

const sortAge = (a: string, b: string): number => (AGE_ORDER.indexOf(a) + 1 || 99) - (AGE_ORDER.indexOf(b) + 1 || 99);

/** The chart of a result set, or undefined for the one-row result (shown as a figure instead). */
export function resultChart(r: ResultSet): ChartOption | undefined {
  const rows = r.rows;
  switch (r.id) {
    case 'popular_category_by_country': {
      const e = groupBy(rows, 'country', 'category', 'category_count').sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || (a.key < b.key ? -1 : 1));
      return rankedBars(e, { colorBy: 'name', valueName: 'posts', keyName: 'country', nameName: 'category' });
    }
    case 'most_followed_user_by_country': {
      const e = groupBy(rows, 'country', 'poster_name', 'follower_count').sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || (a.key < b.key ? -1 : 1));
      return rankedBars(e, { valueName: 'followers', keyName: 'country', nameName: 'poster' });
    }
    case 'popular_category_by_year':
      return rankedBars(groupBy(rows, 'post_year', 'category', 'category_count'), {
        colorBy: 'name',
        valueName: 'posts',
        keyName: 'year',
        nameName: 'category',
      });
    case 'popular_category_by_age_group':
      return rankedBars(
        groupBy(rows, 'age_group', 'category', 'category_count').sort((a, b) => sortAge(a.key, b.key)),
        { colorBy: 'name', valueName: 'posts', keyName: 'age group', nameName: 'category' },
      );
    case 'category_count_by_year':
      return heatmap(rows);
    case 'median_followers_by_age_group':
      return overKeys(
        rows.map((x) => label(x.age_group)),
        rows.map((x) => x.median_follower_count as number | null),
        'bar',
        'median followers',
      );
    case 'users_joined_by_year':
      return overKeys(
        rows.map((x) => label(x.post_year)),
        rows.map((x) => x.number_users_joined as number | null),
        'line',
        'users joined',
      );
    case 'median_followers_by_join_year':
      return overKeys(
        rows.map((x) => label(x.post_year)),
        rows.map((x) => x.median_follower_count as number | null),
        'line',
        'median followers',
      );
    case 'median_followers_by_age_group_and_join_year':
      return groupedBars(rows);
    default:
      return undefined;
  }
}

/** Posts per category (rows) and year (columns), each cell labelled with its count. */
function heatmap(rows: readonly Row[]): ChartOption {
  const years = [...new Set(rows.map((x) => label(x.post_year)))].sort();
  const cats = [...new Set(rows.map((x) => label(x.category)))].sort();
  const data = rows.map((x) => [years.indexOf(label(x.post_year)), cats.indexOf(label(x.category)), x.category_count as number]);
  const max = Math.max(1, ...data.map((d) => d[2]));
  return {
    ...baseOption(),
    grid: grid({ left: labelRoom(cats), right: 8, top: 28, bottom: 8 }),
    xAxis: { type: 'category', data: years, position: 'top', axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: MUTED } },
    yAxis: { type: 'category', data: cats, inverse: true, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { color: MUTED } },
    visualMap: { show: false, min: 0, max, inRange: { color: ['#fff1f2', '#fda4af', '#e60023'] } },
    tooltip: {
      ...baseOption().tooltip,
      formatter: (p: unknown) => {
        const [x, y, v] = (p as { value: number[] }).value;
        return tip(`${cats[y]}, ${years[x]}`, [['posts', int(v)]]);
      },
    },
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#ffffff', borderWidth: 2, borderRadius: 3 },
        label: { show: true, fontSize: 11, formatter: (p: { value: unknown }) => int((p.value as number[])[2]) },
      },
    ],
  };
}

/** Median followers per age group (groups of bars) and join year (one bar per year). */
function groupedBars(rows: readonly Row[]): ChartOption {
  const groups = [...new Set(rows.map((x) => label(x.age_group)))].sort(sortAge);
  const years = [...new Set(rows.map((x) => label(x.post_year)))].sort();
  const value = (g: string, y: string): number | null =>
    (rows.find((x) => label(x.age_group) === g && label(x.post_year) === y)?.median_follower_count as number | null | undefined) ?? null;
  return {
    ...baseOption(),
    grid: grid({ left: 52, right: 12, top: 40, bottom: 28 }),
    legend: { top: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: MUTED } },
    xAxis: { type: 'category', data: groups, axisTick: { show: false }, axisLabel: { color: MUTED } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact(v), color: MUTED }, splitLine: { lineStyle: { color: GRID } } },
    tooltip: {
      ...baseOption().tooltip,
      formatter: (p: unknown) => {
        const q = p as { seriesName: string; dataIndex: number; value: number | null };
        return tip(`${groups[q.dataIndex]}, joined ${q.seriesName}`, [['median followers', int(q.value)]]);
      },
    },
    series: years.map((y, i) => ({
      type: 'bar' as const,
      name: y,
      barMaxWidth: 22,
      data: groups.map((g) => value(g, y)),
      itemStyle: { color: SERIES[i % SERIES.length], borderRadius: [2, 2, 0, 0] },
      label: {
        show: true,
        position: 'top' as const,
        fontSize: 10,
        color: '#374151',
        formatter: (p: { value: unknown }) => (p.value === null ? NONE : compact(p.value as number)),
      },
    })),
  };
}
