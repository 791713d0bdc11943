// Opens the SQLite capture store (WAL) and applies the numbered migrations in db/migrations.
// The only importer of better-sqlite3, with capture.ts and queries.ts beside it.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ERR, isMockError } from '../errors';
import { FolderProblem, makeFolders } from '../fs/make-folders';
import { BodyFiles, bodyDirOf, registerBodyFunction } from './body-files';
import type { CapturePart, Migration } from './records';

export type Db = Database.Database;

/** db/migrations, found from this file in both server/ (ts-jest) and dist/server/ (built). */
export function migrationsDir(): string {
  for (const up of ['../../db/migrations', '../../../db/migrations']) {
    const dir = path.resolve(__dirname, up);
    if (fs.existsSync(dir)) return dir;
  }
  throw ERR.STORE_MIGRATIONS({ near: __dirname });
}

/** Why SQLite refused `file`, in words that say what to fix. */
function storeReason(file: string, e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (code === 'SQLITE_NOTADB') return 'not an SQLite database (give a new file name, or a capture store made by sqm-cer-mock)';
  if (code === 'SQLITE_CANTOPEN' && fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) return 'is a folder; expected an SQLite file';
  if (code === 'SQLITE_READONLY') return 'read-only; the capture store must be writable';
  return `${(e as Error)?.message ?? String(e)}${typeof code === 'string' ? ` (${code})` : ''}`;
}

/** Opens (or creates) the store; every failure is a STORE_OPEN error `--db <file>: <what is wrong>`. */
export function openDb(file: string, parts: readonly CapturePart[] = []): Db {
  let db: Db | undefined;
  try {
    if (file !== ':memory:') makeFolders(path.dirname(path.resolve(file)));
    db = new Database(file);
    setUp(db, file, parts);
    return db;
  } catch (e) {
    db?.close();
    if (isMockError(e)) throw e;
    throw ERR.STORE_OPEN({ file, reason: e instanceof FolderProblem ? e.message : storeReason(file, e) });
  }
}

function setUp(db: Db, file: string, parts: readonly CapturePart[]): void {
  // Small pages (takes effect on a new store only; stores made before keep 64 KiB pages): each commit
  // writes every page it dirtied to the WAL, and the indexes keyed by client and digest dirty a
  // page per capture. Large bodies are not in pages at all but in files (body-files.ts).
  db.pragma('page_size = 4096');
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  // Our promise is that a committed capture survives a crash of this process: in WAL mode a commit
  // has been written to the WAL file when it returns, with or without fsync. We skip the fsyncs
  // (they only guard against power loss) because they cost most of the time on big uploads.
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('foreign_keys = ON');
  const before = db.pragma('user_version', { simple: true }) as number;
  migrate(db);
  migrateParts(db, parts, before);
  registerBodyFunction(db, bodyFilesOf(file));
}

/** The body files of this store, or null for `:memory:`. */
export function bodyFilesOf(file: string): BodyFiles | null {
  const dir = bodyDirOf(file);
  return dir ? new BodyFiles(dir) : null;
}

/** Removes body files no request names (a crash between writing one and committing its row). */
export function removeOrphanBodies(db: Db, bodies: BodyFiles): number {
  const named = new Set(db.prepare('SELECT DISTINCT body_file FROM requests WHERE body_file IS NOT NULL').pluck().all() as string[]);
  return bodies.removeOrphans(named);
}

function migrate(db: Db): void {
  const dir = migrationsDir();
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-.*\.sql$/.test(f))
    .sort();
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const f of files) {
    const n = Number(f.slice(0, 3));
    if (n <= current) continue;
    const sql = fs.readFileSync(path.join(dir, f), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${n}`);
    })();
  }
}

/**
 * Each part's own migrations, once each by id (table `module_migrations`). A store made before
 * this scheme (user_version at or past a migration's legacyUserVersion) already has its tables.
 */
function migrateParts(db: Db, parts: readonly CapturePart[], userVersionBefore: number): void {
  const applied = new Set((db.prepare('SELECT id FROM module_migrations').all() as { id: string }[]).map((r) => r.id));
  const mark = db.prepare('INSERT INTO module_migrations (id) VALUES (?)');
  for (const m of parts.flatMap((p) => p.migrations ?? [])) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      if (m.legacyUserVersion === undefined || userVersionBefore < m.legacyUserVersion) db.exec(m.sql);
      mark.run(m.id);
    })();
    applied.add(m.id);
  }
}

/** A module's migration files, `db/migrations/<folder>/NNN-name.sql`, as Migrations with ids `<folder>/NNN-name`. */
export function migrationFiles(folder: string, legacy: Record<string, number> = {}): Migration[] {
  const dir = path.join(migrationsDir(), folder);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: `${folder}/${f.slice(0, -4)}`, sql: fs.readFileSync(path.join(dir, f), 'utf8'), legacyUserVersion: legacy[f] }));
}
