import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a folder under test/fixtures/. Throws when it is missing or empty, so a
 * checkout without its fixtures fails its tests instead of running fewer of them.
 */
export function fixtureDir(name: string): string {
  const dir = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  if (!existsSync(dir) || readdirSync(dir).length === 0)
    throw new Error(`test fixture folder ${dir} is missing or empty: the tests need it (it is part of the repository)`);
  return dir;
}
