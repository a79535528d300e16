import { api } from './api.js';
import { Chart } from './charts.js';
import { h, replace } from './dom.js';
import { ago, int } from './format.js';
import type { ResultSet } from './labels.js';
import { resultChart } from './result-charts.js';
import { dataTable } from './table.js';

/** What the page says about each result set: a title for people and what to look at. */
export const RESULT_TITLES: Record<string, { title: string; note: string }> = {
  popular_category_by_country: {
    title: 'Top category per country',
    note: 'The most posted category in each country (the 15 busiest countries; ties share a bar).',
  },
  category_count_by_year: { title: 'Posts per category and year', note: 'Posts per category, 2018–2022.' },
  popular_category_by_year: { title: 'Top category per year', note: 'The most posted category of each year, 2018–2022.' },
  most_followed_user_by_country: { title: 'Most followed poster per country', note: 'The poster with the most followers in each country (the top 15).' },
  country_with_most_followed_user: { title: 'Country of the most followed poster', note: 'Where the poster with the most followers of all lives.' },
  popular_category_by_age_group: { title: 'Top category per age group', note: 'The most posted category in each age group.' },
  median_followers_by_age_group: { title: 'Median followers by age group', note: 'Lower median follower count of the posters in each age group.' },
  users_joined_by_year: { title: 'Users joined per year', note: 'Distinct users by the year they joined, 2015–2020.' },
  median_followers_by_join_year: { title: 'Median followers by join year', note: 'Lower median follower count by the year the poster joined.' },
  median_followers_by_age_group_and_join_year: { title: 'Median followers by age group and join year', note: 'One bar per join year in each age group.' },
};

/** One result set's card: title, when it was computed, its chart (or figure) and its full table. */
class ResultCard {
  readonly el: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly figure: HTMLElement;
  private readonly table: HTMLElement;
  private chart: Chart | undefined;
  version: number | undefined;

  constructor(readonly id: string) {
    const t = RESULT_TITLES[id] ?? { title: id, note: '' };
    this.meta = h('span', { class: 'meta' }, 'not computed yet');
    this.figure = h('div', { class: 'figure' });
    this.table = h('div', { class: 'table-wrap' });
    this.el = h(
      'article',
      { class: `card result${id === 'country_with_most_followed_user' ? ' narrow' : ''}`, data: { result: id } },
      h('header', {}, h('h3', {}, t.title), this.meta),
      h('p', { class: 'note' }, t.note, ' ', h('code', {}, id)),
      this.figure,
      h('details', { class: 'rows', attrs: { open: '' } }, h('summary', {}, 'Rows'), this.table),
    );
  }

  show(r: ResultSet): void {
    this.version = r.version;
    replace(this.meta, `${int(r.rows.length)} row${r.rows.length === 1 ? '' : 's'} · computed ${ago(r.computedAt)} · run ${r.date ?? '—'}`);
    this.meta.dataset.computedAt = String(r.computedAt ?? '');
    replace(this.table, dataTable(r.columns, r.rows));
    const option = resultChart(r);
    if (!option) {
      const top = r.rows[0];
      replace(
        this.figure,
        top
          ? h(
              'div',
              { class: 'big' },
              h('div', { class: 'big-value' }, String(top.country ?? '(none)')),
              h('div', { class: 'big-sub' }, `${int(top.follower_count as number)} followers`),
            )
          : h('p', { class: 'empty' }, 'No follower count known yet.'),
      );
      return;
    }
    if (r.rows.length === 0) {
      replace(this.figure, h('p', { class: 'empty' }, 'No rows.'));
      this.chart = undefined;
      return;
    }
    if (!this.chart) {
      const el = h('div', { class: `chart${r.id === 'category_count_by_year' || r.id.endsWith('_by_country') ? ' tall' : ''}` });
      replace(this.figure, el);
      this.chart = new Chart(el);
    }
    this.chart.set(option);
  }

  /** Refresh the "computed … ago" text. */
  tick(computedAt: number | undefined, rows: number, date: string | undefined): void {
    if (this.version !== undefined) replace(this.meta, `${int(rows)} row${rows === 1 ? '' : 's'} · computed ${ago(computedAt)} · run ${date ?? '—'}`);
  }
}

/** Summary of a result set in GET /api/results. */
export interface ResultInfo {
  id: string;
  computedAt?: number;
  date?: string;
  rows?: number;
  version?: number;
}

/** The ten result sets as cards; load() fetches those whose table version moved. */
export class ResultsView {
  private readonly cards = new Map<string, ResultCard>();

  constructor(private readonly root: HTMLElement) {}

  async load(list: readonly ResultInfo[]): Promise<void> {
    for (const info of list) {
      let card = this.cards.get(info.id);
      if (!card) {
        card = new ResultCard(info.id);
        this.cards.set(info.id, card);
        this.root.append(card.el);
      }
      if (info.version === undefined) continue;
      if (card.version !== info.version) card.show(await api<ResultSet>(`/api/results/${encodeURIComponent(info.id)}`));
      else card.tick(info.computedAt, info.rows ?? 0, info.date);
    }
  }
}
