/** The 13 pin categories of docs/data.md §2, roughly uniform in the generated data. */
export const CATEGORIES = [
  'art',
  'beauty',
  'christmas',
  'diy-and-crafts',
  'education',
  'event-planning',
  'finance',
  'home-decor',
  'mens-fashion',
  'quotes',
  'tattoos',
  'travel',
  'vehicles',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Values of `is_image_or_video` (docs/data.md §2). */
export const MEDIA_TYPES = ['image', 'video', 'multi-video(story page format)'] as const;

export type MediaType = (typeof MEDIA_TYPES)[number];

/** A raw pin record; keys in docs/data.md §2 order (object literals keep it, so does JSON.stringify). */
export interface PinRecord {
  index: number;
  unique_id: string;
  title: string;
  description: string;
  poster_name: string;
  follower_count: string;
  tag_list: string;
  is_image_or_video: MediaType;
  image_src: string;
  downloaded: 0 | 1;
  save_location: string;
  category: Category;
}

/** A raw geolocation record. */
export interface GeoRecord {
  ind: number;
  timestamp: string;
  latitude: number;
  longitude: number;
  country: string;
}

/** A raw user record. */
export interface UserRecord {
  ind: number;
  first_name: string;
  last_name: string;
  age: number;
  date_joined: string;
}

/** One posting event: three records sharing the key (`pin.index` = `geo.ind` = `user.ind`). */
export interface Row {
  pin: PinRecord;
  geo: GeoRecord;
  user: UserRecord;
}

/** The three record kinds, in the order the emulator sends them. */
export const RECORD_KINDS = ['pin', 'geo', 'user'] as const;

export type RecordKind = (typeof RECORD_KINDS)[number];
