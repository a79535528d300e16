import { Faker, ar, base, de, el, en, fa, fr, he, hy, ja, ko, pt_BR, ru, vi, zh_CN, type LocaleDefinition } from '@faker-js/faker';

/** Free text the generator samples from: built once per seed with faker, then picked per row. */
export interface TextPools {
  readonly titles: readonly string[];
  readonly descriptions: readonly string[];
  readonly posterNames: readonly string[];
  readonly tags: readonly string[];
  /** Names are pooled too: faker's cost 0.5–2 µs each (sex lookup, `X-Y` templates), a pick 0.05. */
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
}

const SIZES = { titles: 4000, descriptions: 4000, posterNames: 3000, tags: 1500, firstNames: 3000, lastNames: 3000 };

/** Locales whose lorem is their own script/language, and locales with a word list. */
const LOREM_LOCALES: readonly LocaleDefinition[] = [ja, ko, ru, ar, el, he, fa, hy, vi];
const WORD_LOCALES: readonly LocaleDefinition[] = [zh_CN, ko, fa, de, fr, pt_BR];

const titleCase = (s: string): string => s.replace(/(^|\s)(\p{L})/gu, (_, sp: string, c: string) => sp + c.toUpperCase());

class PoolBuilder {
  private readonly f: Faker;
  private readonly lorem: Faker[];
  private readonly words: Faker[];

  constructor(seed: number) {
    const make = (loc: LocaleDefinition, k: number): Faker => {
      const f = new Faker({ locale: [loc, en, base] });
      f.seed([seed, k]);
      return f;
    };
    this.f = make(en, 0);
    this.lorem = LOREM_LOCALES.map((l, k) => make(l, 100 + k));
    this.words = WORD_LOCALES.map((l, k) => make(l, 200 + k));
  }

  /** Text in another language: a sentence in its script or a few of its words. */
  private foreign(): string {
    const f = this.f;
    if (f.datatype.boolean(0.6)) return f.helpers.arrayElement(this.lorem).lorem.sentence({ min: 2, max: 8 });
    return titleCase(f.helpers.arrayElement(this.words).word.words({ count: { min: 1, max: 4 } }));
  }

  private english(): string {
    const f = this.f;
    return f.helpers.arrayElement([
      () => f.commerce.productName(),
      () => f.company.catchPhrase(),
      () => f.book.title(),
      () => f.music.songName(),
      () => f.food.dish(),
      () => titleCase(f.word.words({ count: { min: 2, max: 7 } })),
      () => `${f.number.int({ min: 3, max: 60 })} ${titleCase(f.word.adjective())} ${titleCase(f.word.noun())} Ideas`,
    ])();
  }

  /** Pipes, braces, curly quotes and emoji, as Pinterest titles carry them. */
  private decorate(s: string): string {
    const f = this.f;
    if (f.datatype.boolean(0.12)) s = `${s} | ${f.helpers.arrayElement([f.company.name(), titleCase(f.word.noun()), f.internet.domainName()])}`;
    if (f.datatype.boolean(0.06)) s = `“${s}”`;
    if (f.datatype.boolean(0.04)) s = `${s} {${f.word.noun()}}`;
    if (f.datatype.boolean(0.03)) s = `${s} ‘${f.word.adjective()}’`;
    if (f.datatype.boolean(0.15)) s = `${s} ${f.internet.emoji()}`;
    if (f.datatype.boolean(0.04)) s = `${f.internet.emoji()}${f.internet.emoji()} ${s}`;
    return s;
  }

  title(): string {
    return this.decorate(this.f.datatype.boolean(0.3) ? this.foreign() : this.english());
  }

  description(): string {
    const f = this.f;
    const parts = f.helpers.multiple(
      () =>
        f.helpers.arrayElement([
          () => f.commerce.productDescription(),
          () => f.hacker.phrase(),
          () => `${titleCase(f.company.buzzPhrase())}.`,
          () => f.lorem.sentence(),
          () => this.foreign(),
          () => f.word.words({ count: { min: 3, max: 12 } }).replace(/^./, (c) => c.toUpperCase()) + '.',
        ])(),
      { count: { min: 1, max: 4 } },
    );
    if (f.datatype.boolean(0.2)) parts.push(f.helpers.multiple(() => `#${f.word.noun()}`, { count: { min: 1, max: 4 } }).join(' '));
    return this.decorate(parts.join(' '));
  }

  posterName(): string {
    const f = this.f;
    const name = f.helpers.weightedArrayElement([
      { weight: 35, value: () => f.person.fullName() },
      { weight: 15, value: () => f.company.name() },
      { weight: 10, value: () => `${f.person.firstName()} | ${titleCase(f.word.words(2))}` },
      { weight: 15, value: () => f.internet.username() },
      { weight: 15, value: () => f.helpers.arrayElement(this.lorem).person.fullName() },
      { weight: 10, value: () => titleCase(`${f.word.adjective()} ${f.word.noun()}`) },
    ])();
    return f.datatype.boolean(0.05) ? `${name} ${f.internet.emoji()}` : name;
  }

  firstName(): string {
    return this.f.person.firstName();
  }

  lastName(): string {
    return this.f.person.lastName();
  }

  tag(): string {
    const f = this.f;
    const tag = f.helpers.weightedArrayElement([
      { weight: 35, value: () => f.word.noun() },
      { weight: 35, value: () => `${f.word.adjective()} ${f.word.noun()}` },
      { weight: 20, value: () => `${f.word.noun()} ${f.word.noun()}` },
      { weight: 10, value: () => `${f.word.noun()} ideas` },
    ])();
    return titleCase(tag).replace(/,/g, '');
  }
}

const cache = new Map<number, TextPools>();

/** The text pools of a seed (cached: the same seed always gives the same pools). */
export function textPools(seed: number): TextPools {
  let pools = cache.get(seed);
  if (pools) return pools;
  const b = new PoolBuilder(seed);
  const fill = (n: number, make: () => string): string[] => Array.from({ length: n }, make);
  pools = {
    titles: fill(SIZES.titles, () => b.title()),
    descriptions: fill(SIZES.descriptions, () => b.description()),
    posterNames: fill(SIZES.posterNames, () => b.posterName()),
    tags: [...new Set(fill(SIZES.tags, () => b.tag()))],
    firstNames: fill(SIZES.firstNames, () => b.firstName()),
    lastNames: fill(SIZES.lastNames, () => b.lastName()),
  };
  if (cache.size >= 8) cache.delete(cache.keys().next().value as number);
  cache.set(seed, pools);
  return pools;
}
