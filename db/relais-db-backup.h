/* relais-db-backup.h: a consistent copy of a database while its program
 * runs, the check of a database, and putting a copy back. The safes' key
 * file is not a database: see docs/safe.md and `relais-hub backup`. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

/* Opens @path read only and as it is: no migration, no change of journal
 * mode, so a backup or a check never writes to a database a hub is using
 * (WAL gives the reader a consistent snapshot while the hub writes). The
 * schema must be one this program knows (1 to latest) and of @kind. */
RelaisDb                    *relais_db_open_read_only (const char  *path,
                                                       RelaisDbKind kind,
                                                       GError     **error);

/* Writes a consistent copy of @db at @dest (VACUUM INTO: compact, only
 * live pages), made under another name (0600) and renamed into place once
 * written and synced, so a copy cut short never bears @dest's name. Fails
 * when @dest exists. */
gboolean                     relais_db_backup (RelaisDb   *db,
                                               const char *dest,
                                               GError    **error);

/* PRAGMA integrity_check (or quick_check when @quick): the problems found,
 * an empty array when the database is sound; NULL with @error when the
 * check could not run. */
GPtrArray                   *relais_db_integrity (RelaisDb *db,
                                                  gboolean  quick,
                                                  GError  **error);

/* Puts the copy @src in place of the database at @dest (SQLite's backup
 * API, into a new 0600 file). @src must open read only as a database of
 * @kind that this program knows, and pass integrity_check; refused
 * otherwise, with nothing changed. The database that was at @dest (with
 * its -wal and -shm) is kept beside it, renamed: its new name in
 * @kept_aside (NULL when there was none). The restored database is then
 * opened once, so it is brought to this program's schema. The caller
 * holds relais_db_lock () on @dest. */
gboolean                     relais_db_restore (const char  *src,
                                                const char  *dest,
                                                RelaisDbKind kind,
                                                char       **kept_aside,
                                                GError     **error);

/* The lock a running hub holds on its database (a lock on "@db_path.lock"
 * with its process id in it): a restore is refused while it is held, and
 * a second hub on the same database too. NULL with @error naming the
 * process that holds it. Released by relais_db_unlock () or at exit. */
typedef struct _RelaisDbLock RelaisDbLock;

RelaisDbLock                *relais_db_lock (const char *db_path,
                                             GError    **error);
void                         relais_db_unlock (RelaisDbLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisDbLock, relais_db_unlock)

G_END_DECLS
