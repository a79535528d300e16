/** The "no data" marker strings of docs/data.md §3, as the generator writes them. */
export const MARKERS = {
  storyDescription: 'No description available Story format',
  noDescription: 'No description available',
  untitled: 'Untitled',
  noTitle: 'No Title Data Available',
  userInfoError: 'User Info Error',
  noTags: 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e',
  imageSrcError: 'Image src error.',
} as const;
