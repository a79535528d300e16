import type { Faker } from '@faker-js/faker';
import { followerCount } from './follower-count.js';
import { MARKERS } from './markers.js';
import { CATEGORIES, type MediaType, type PinRecord } from './records.js';
import type { TextPools } from './text-pools.js';

const STORY: MediaType = 'multi-video(story page format)';

/** `is_image_or_video` mix (docs/data.md §2); one story row in seven is a fully broken row (~1%). */
const MEDIA: { weight: number; value: MediaType }[] = [
  { weight: 90, value: 'image' },
  { weight: 3, value: 'video' },
  { weight: 7, value: STORY },
];
const BROKEN_SHARE_OF_STORIES = 1 / 7;

/** Marker rates in rows that are not broken (broken rows carry every marker). */
const RATES = { noTitle: 0.005, emptyTitle: 0.002, noDescription: 0.015, untitled: 0.005, noTags: 0.005, imageSrcError: 0.005, cutDescription: 0.45 };

const IMAGE_EXT = [
  { weight: 85, value: 'jpg' },
  { weight: 12, value: 'png' },
  { weight: 3, value: 'gif' },
];

/** Eight lower-case hex digits (faker's string.hexadecimal costs ~4 µs for 32 digits, this ~0.4). */
const hex8 = (f: Faker): string => f.number.int(0xffffffff).toString(16).padStart(8, '0');

/** Pinterest's original-image URL: the first six hex digits of the hash name the folders. */
function imageSrc(f: Faker): string {
  const h = hex8(f) + hex8(f) + hex8(f) + hex8(f);
  return `https://i.pinimg.com/originals/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4, 6)}/${h}.${f.helpers.weightedArrayElement(IMAGE_EXT)}`;
}

/** Often cut at a word boundary and ended with `…` and a no-break space, as scraped. */
function description(f: Faker, pools: TextPools): string {
  const s = f.helpers.arrayElement(pools.descriptions);
  if (s.length < 40 || !f.datatype.boolean(RATES.cutDescription)) return s;
  const at = s.lastIndexOf(' ', f.number.int({ min: 20, max: s.length - 5 }));
  return at < 10 ? s : `${s.slice(0, at)}…\u00a0`;
}

function title(f: Faker, pools: TextPools): string {
  const u = f.number.float();
  if (u < RATES.noTitle) return MARKERS.noTitle;
  if (u < RATES.noTitle + RATES.emptyTitle) return '';
  return f.helpers.arrayElement(pools.titles);
}

function tagList(f: Faker, pools: TextPools): string {
  if (f.datatype.boolean(RATES.noTags)) return MARKERS.noTags;
  const tags = new Set<string>();
  for (let n = f.number.int({ min: 3, max: 10 }); n > 0; n--) tags.add(f.helpers.arrayElement(pools.tags));
  return [...tags].join(',');
}

/** A pin record for the row's user (follower counts depend on the user's age and join year). */
export function makePin(f: Faker, pools: TextPools, index: number, age: number, joinYear: number): PinRecord {
  const unique_id = f.string.uuid();
  const category = f.helpers.arrayElement(CATEGORIES);
  const save_location = `Local save in /data/${category}`;
  const media = f.helpers.weightedArrayElement(MEDIA);
  if (media === STORY && f.datatype.boolean(BROKEN_SHARE_OF_STORIES)) {
    return {
      index,
      unique_id,
      title: MARKERS.noTitle,
      description: MARKERS.storyDescription,
      poster_name: MARKERS.userInfoError,
      follower_count: MARKERS.userInfoError,
      tag_list: MARKERS.noTags,
      is_image_or_video: media,
      image_src: MARKERS.imageSrcError,
      downloaded: 0,
      save_location,
      category,
    };
  }
  const t = title(f, pools);
  let desc: string;
  if (media === STORY) desc = MARKERS.storyDescription;
  else {
    const u = f.number.float();
    desc = u < RATES.noDescription ? MARKERS.noDescription : u < RATES.noDescription + RATES.untitled ? MARKERS.untitled : description(f, pools);
  }
  const follower_count = followerCount(f, age, joinYear);
  const poster_name = follower_count === MARKERS.userInfoError ? MARKERS.userInfoError : f.helpers.arrayElement(pools.posterNames);
  const tag_list = tagList(f, pools);
  const image_src = f.datatype.boolean(RATES.imageSrcError) ? MARKERS.imageSrcError : imageSrc(f);
  return {
    index,
    unique_id,
    title: t,
    description: desc,
    poster_name,
    follower_count,
    tag_list,
    is_image_or_video: media,
    image_src,
    downloaded: image_src === MARKERS.imageSrcError ? 0 : 1,
    save_location,
    category,
  };
}
