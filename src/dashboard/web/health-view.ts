import type { PipelineStatus } from '../pipeline-status.js';
import { baseOption, Chart, grid, GRID, labelRoom, MUTED, SERIES, tip, type ChartOption } from './charts.js';
import { h, replace } from './dom.js';
import { ago, compact, int, NONE, seconds } from './format.js';
import { simpleTable } from './table.js';

type StreamKind = Extract<PipelineStatus['stream'], { streams: unknown }>['streams'][number];

/** One poll's figures, kept to draw the last minutes. */
interface Sample {
  at: number;
  topicsEnd: number;
  streamsEnd: number;
  inLake: number;
  processed: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

const KEEP_MS = 5 * 60_000;

const streamsOf = (s: PipelineStatus): StreamKind[] => ('streams' in s.stream ? s.stream.streams : []);
const maxOf = (xs: (number | undefined)[]): number | undefined => {
  const v = xs.filter((x): x is number => x !== undefined);
  return v.length ? Math.max(...v) : undefined;
};

/** A headline figure: label, value, a line below. */
function tile(label: string, value: string, sub: string, key: string, tone = ''): HTMLElement {
  return h(
    'div',
    { class: `tile ${tone}`.trim(), data: { tile: key } },
    h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value' }, value),
    h('div', { class: 'tile-sub' }, sub),
  );
}

/** The pipeline at a glance: headline figures, throughput and latency over the last minutes, the log, the stream job, rejects. */
export class HealthView {
  private readonly samples: Sample[] = [];
  private readonly tiles = h('div', { class: 'tiles' });
  private readonly throughput: Chart;
  private readonly latency: Chart;
  private readonly rejects: Chart;
  private readonly rejectsBox = h('div', { class: 'figure' });
  private readonly logTable = h('div', { class: 'table-wrap' });
  private readonly streamTable = h('div', { class: 'table-wrap' });

  constructor(root: HTMLElement) {
    const throughputEl = h('div', { class: 'chart small' });
    const latencyEl = h('div', { class: 'chart small' });
    const rejectsEl = h('div', { class: 'chart small' });
    root.append(
      this.tiles,
      h(
        'div',
        { class: 'grid two' },
        h('article', { class: 'card' }, h('header', {}, h('h3', {}, 'Throughput'), h('span', { class: 'meta' }, 'records/s, last 5 min')), throughputEl),
        h(
          'article',
          { class: 'card' },
          h('header', {}, h('h3', {}, 'Stream latency'), h('span', { class: 'meta' }, 'ack → Delta commit, last minute, slowest stream')),
          latencyEl,
        ),
        h(
          'article',
          { class: 'card', data: { section: 'log' } },
          h('header', {}, h('h3', {}, 'Topics and streams'), h('span', { class: 'meta' }, 'records in the log and how far the sink and the stream job are')),
          this.logTable,
        ),
        h(
          'article',
          { class: 'card', data: { section: 'rejects' } },
          h('header', {}, h('h3', {}, 'Rejected records'), h('span', { class: 'meta' }, 'by job, kind and reason')),
          this.rejectsBox,
        ),
      ),
      h(
        'article',
        { class: 'card', data: { section: 'stream' } },
        h('header', {}, h('h3', {}, 'Stream job'), h('span', { class: 'meta' }, 'micro-batches into the Delta tables')),
        this.streamTable,
      ),
    );
    this.throughput = new Chart(throughputEl);
    this.latency = new Chart(latencyEl);
    this.rejectsBox.append(rejectsEl);
    this.rejects = new Chart(rejectsEl);
  }

  show(s: PipelineStatus): void {
    const topics = s.log.topics.filter((t) => t.role === 'topic');
    const streams = s.log.topics.filter((t) => t.role === 'stream');
    const sk = streamsOf(s);
    this.samples.push({
      at: s.at,
      topicsEnd: topics.reduce((n, t) => n + t.end, 0),
      streamsEnd: streams.reduce((n, t) => n + t.end, 0),
      inLake: s.sink.partitions.reduce((n, p) => n + p.inLake, 0),
      processed: sk.reduce((n, x) => n + x.processed, 0),
      p50: maxOf(sk.map((x) => x.latency.lastMinute.p50)),
      p95: maxOf(sk.map((x) => x.latency.lastMinute.p95)),
      p99: maxOf(sk.map((x) => x.latency.lastMinute.p99)),
    });
    while (this.samples.length > 2 && s.at - this.samples[0].at > KEEP_MS) this.samples.shift();
    this.showTiles(s, sk);
    this.throughput.set(this.throughputOption());
    this.latency.set(this.latencyOption());
    this.showLog(s, sk);
    this.showStreams(sk);
    this.showRejects(s);
  }

  private showTiles(s: PipelineStatus, sk: StreamKind[]): void {
    const records = s.log.topics.filter((t) => t.role === 'topic').reduce((n, t) => n + t.records, 0);
    const streamed = s.log.topics.filter((t) => t.role === 'stream').reduce((n, t) => n + t.records, 0);
    const streamLag = sk.reduce((n, x) => n + x.lag, 0);
    const last = this.samples.at(-1)!;
    const rejected = [...s.rejects.stream, ...s.rejects.batch].reduce((n, r) => n + r.count, 0);
    const computed = s.batch.results.filter((r) => r.computedAt !== undefined).length;
    replace(
      this.tiles,
      tile('Records in', int(records + streamed), `${int(records)} to topics · ${int(streamed)} to streams`, 'records'),
      tile(
        'Lake sink lag',
        int(s.sink.lag),
        s.sink.state === 'running' ? 'records not yet in the lake' : 'sink not running here',
        'sink-lag',
        s.sink.lag > 5000 ? 'warn' : '',
      ),
      tile(
        'Stream lag',
        'streams' in s.stream ? int(streamLag) : NONE,
        'streams' in s.stream ? 'records not yet in the tables' : 'stream job not running here',
        'stream-lag',
        streamLag > 5000 ? 'warn' : '',
      ),
      tile('Latency p99', seconds(last.p99), `p50 ${seconds(last.p50)} · p95 ${seconds(last.p95)}`, 'latency', (last.p99 ?? 0) > 1 ? 'warn' : ''),
      tile('Rejected', int(rejected), 'records the cleaning refused', 'rejected', rejected > 0 ? 'note' : ''),
      tile('Results', `${computed} / ${s.batch.results.length}`, `computed ${ago(s.batch.lastComputedAt, s.at)}`, 'results'),
    );
  }

  private rates(pick: (x: Sample) => number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1];
      const b = this.samples[i];
      const dt = (b.at - a.at) / 1000;
      if (dt > 0) out.push([b.at, Math.max(0, (pick(b) - pick(a)) / dt)]);
    }
    return out;
  }

  private timeAxis(): ChartOption {
    return {
      xAxis: { type: 'time', axisLabel: { color: MUTED, hideOverlap: true }, splitLine: { show: false }, axisLine: { lineStyle: { color: GRID } } },
    };
  }

  private throughputOption(): ChartOption {
    const line = (name: string, data: [number, number][], color: string) => ({
      type: 'line' as const,
      name,
      data,
      showSymbol: false,
      smooth: 0.3,
      lineStyle: { width: 2, color },
      itemStyle: { color },
    });
    return {
      ...baseOption(),
      animation: false,
      ...this.timeAxis(),
      grid: grid({ left: 56, right: 20, top: 36, bottom: 28 }),
      legend: { top: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 4, itemGap: 18, textStyle: { color: MUTED } },
      yAxis: { type: 'value', axisLabel: { color: MUTED, formatter: (v: number) => compact(v) }, splitLine: { lineStyle: { color: GRID } } },
      tooltip: { ...baseOption().tooltip, trigger: 'axis', formatter: (p: unknown) => this.axisTip(p, (v) => `${compact(v)}/s`) },
      series: [
        line(
          'into topics',
          this.rates((x) => x.topicsEnd),
          SERIES[0],
        ),
        line(
          'into the lake',
          this.rates((x) => x.inLake),
          SERIES[2],
        ),
        line(
          'into streams',
          this.rates((x) => x.streamsEnd),
          SERIES[1],
        ),
        line(
          'stream job',
          this.rates((x) => x.processed),
          SERIES[3],
        ),
      ],
    };
  }

  private latencyOption(): ChartOption {
    const pts = (k: 'p50' | 'p95' | 'p99'): [number, number | null][] => this.samples.map((x) => [x.at, x[k] ?? null]);
    const line = (name: string, data: [number, number | null][], color: string) => ({
      type: 'line' as const,
      name,
      data,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 2, color },
      itemStyle: { color },
    });
    return {
      ...baseOption(),
      animation: false,
      ...this.timeAxis(),
      grid: grid({ left: 56, right: 20, top: 36, bottom: 28 }),
      legend: { top: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 4, itemGap: 18, textStyle: { color: MUTED } },
      yAxis: { type: 'value', axisLabel: { color: MUTED, formatter: (v: number) => seconds(v) }, splitLine: { lineStyle: { color: GRID } } },
      tooltip: { ...baseOption().tooltip, trigger: 'axis', formatter: (p: unknown) => this.axisTip(p, (v) => seconds(v)) },
      series: [line('p50', pts('p50'), SERIES[2]), line('p95', pts('p95'), SERIES[3]), line('p99', pts('p99'), SERIES[1])],
    };
  }

  private axisTip(p: unknown, fmt: (v: number) => string): HTMLElement {
    const items = p as { seriesName: string; value: [number, number | null] }[];
    const at = items[0]?.value[0];
    return tip(
      at ? new Date(at).toLocaleTimeString() : '',
      items.map((i) => [i.seriesName, i.value[1] === null ? NONE : fmt(i.value[1])]),
    );
  }

  private showLog(s: PipelineStatus, sk: StreamKind[]): void {
    const sinkByTopic = new Map<string, { inLake: number; lag: number }>();
    for (const p of s.sink.partitions) {
      const e = sinkByTopic.get(p.topic) ?? { inLake: 0, lag: 0 };
      e.inLake += p.inLake;
      e.lag += p.lag;
      sinkByTopic.set(p.topic, e);
    }
    const byStream = new Map(sk.map((x) => [x.stream, x]));
    const rows = s.log.topics.map((t) => {
      const sink = sinkByTopic.get(t.name);
      const st = byStream.get(t.name);
      const done = sink?.inLake ?? st?.processed;
      const lag = sink?.lag ?? st?.lag;
      const pct = done === undefined || t.end === 0 ? undefined : Math.min(100, (100 * done) / t.end);
      const bar = h('span', { class: 'progress', title: pct === undefined ? '' : `${pct.toFixed(1)}%` }, h('span', { class: 'progress-fill' }));
      (bar.firstChild as HTMLElement).style.width = `${pct ?? 0}%`;
      return [
        h('span', {}, t.name, ' ', h('span', { class: `role ${t.role}` }, t.role)),
        int(t.partitions),
        int(t.records),
        done === undefined ? NONE : int(done),
        lag === undefined ? NONE : int(lag),
        bar,
      ];
    });
    replace(
      this.logTable,
      rows.length
        ? simpleTable(['name', 'partitions', 'records', 'in lake / processed', 'lag', ''], rows)
        : h('p', { class: 'empty' }, 'No topics or streams yet.'),
    );
  }

  private showStreams(sk: StreamKind[]): void {
    if (sk.length === 0) {
      replace(this.streamTable, h('p', { class: 'empty' }, 'The stream job does not run in this process.'));
      return;
    }
    const rows = sk.map((x) => [
      x.stream,
      int(x.processed),
      int(x.lag),
      x.lastBatch ? `${int(x.lastBatch.records)} in ${seconds(x.lastBatch.ms / 1000)}, ${ago(x.lastBatch.at)}` : NONE,
      seconds(x.latency.lastMinute.p50),
      seconds(x.latency.lastMinute.p95),
      seconds(x.latency.lastMinute.p99),
      int(x.records.appended),
      int(x.records.duplicate),
      int(x.records.rejected),
      int(x.failures),
    ]);
    replace(
      this.streamTable,
      simpleTable(['stream', 'processed', 'lag', 'last micro-batch', 'p50', 'p95', 'p99', 'new rows', 'duplicates', 'rejected', 'failures'], rows),
    );
  }

  private showRejects(s: PipelineStatus): void {
    const all = [...s.rejects.stream.map((r) => ({ ...r, job: 'stream' })), ...s.rejects.batch.map((r) => ({ ...r, job: 'batch' }))].sort(
      (a, b) => b.count - a.count,
    );
    const chartEl = this.rejects.el;
    if (all.length === 0) {
      replace(this.rejectsBox, h('p', { class: 'empty' }, 'No rejected records. Records that are not JSON objects or lack a valid key would be counted here.'));
      return;
    }
    if (!chartEl.isConnected) replace(this.rejectsBox, chartEl);
    const names = all.map((r) => `${r.job} · ${r.kind} · ${r.reason}`);
    this.rejects.set({
      ...baseOption(),
      grid: grid({ left: labelRoom(names, 220), right: 48, top: 8, bottom: 24 }),
      xAxis: { type: 'value', axisLabel: { color: MUTED, formatter: (v: number) => compact(v) }, splitLine: { lineStyle: { color: GRID } } },
      yAxis: { type: 'category', inverse: true, data: names, axisTick: { show: false }, axisLabel: { color: MUTED, width: 220, overflow: 'truncate' } },
      tooltip: {
        ...baseOption().tooltip,
        formatter: (p: unknown) => tip(names[(p as { dataIndex: number }).dataIndex], [['records', int(all[(p as { dataIndex: number }).dataIndex].count)]]),
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 16,
          data: all.map((r) => ({ value: r.count, itemStyle: { color: r.job === 'stream' ? SERIES[1] : SERIES[0], borderRadius: [0, 3, 3, 0] } })),
          label: { show: true, position: 'right', fontSize: 11, formatter: (p: { value: unknown }) => int(p.value as number) },
        },
      ],
    });
  }
}
