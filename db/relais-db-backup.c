/* relais-db-backup.c: copies of a database in use, checks, restoring. */

#include "relais-db-backup.h"
#include "relais-db-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* What a database of each kind must have, to refuse another SQLite file
 * before anything is done with it. */
static const char *
marker_table (RelaisDbKind kind)
{
  return kind == RELAIS_DB_HUB ? "events" : "outbox";
}

/* 1 when table @name exists, 0 when not, -1 when the schema cannot be
 * read (a damaged file). */
static int
has_table (RelaisDb   *db,
           const char *name)
{
  g_autoptr(sqlite3_stmt) stmt = relais_db_prepare (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                                                     NULL);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0
                                                  : -1;
}

RelaisDb *
relais_db_open_read_only (const char  *path,
                          RelaisDbKind kind,
                          GError     **error)
{
  g_autoptr(RelaisDb) db = NULL;
  int rc;
  int version;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kind == RELAIS_DB_HUB || kind == RELAIS_DB_STATION, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN, "%s : pas de base à cet endroit", path);
      return NULL;
    }
  db = g_new0 (RelaisDb, 1);
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_finalize);
  db->kind = kind;
  db->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &db->handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_OPEN, "Impossible d'ouvrir la base %s : %s", path,
                   db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_extended_result_codes (db->handle, 1);
  version = relais_db_get_version (db);
  if (version < 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "%s n'est pas une base Relais lisible : %s",
                   path, sqlite3_errmsg (db->handle));
      return NULL;
    }
  switch (version == 0 ? 0 : has_table (db, marker_table (kind)))
    {
    case 1:
      break;
    case -1:
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "%s est abîmée : %s", path, sqlite3_errmsg (db->handle));
      return NULL;
    default:
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID, "%s n'est pas une base %s de Relais.",
                   path, kind == RELAIS_DB_HUB ? "du hub" : "d'un poste");
      return NULL;
    }
  if (version > relais_db_latest_version (kind))
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_TOO_NEW,
                   "La base %s est au schéma %d, plus récent que ce programme (%d) : mettez Relais à jour.",
                   path, version, relais_db_latest_version (kind));
      return NULL;
    }
  return g_steal_pointer (&db);
}

GPtrArray *
relais_db_integrity (RelaisDb *db,
                     gboolean  quick,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  /* At most 100 lines: enough to tell what is wrong. */
  stmt = relais_db_prepare (db, quick ? "PRAGMA quick_check (100)" : "PRAGMA integrity_check (100)", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (problems, g_strdup (line != NULL ? line : "?"));
    }
  if (rc != SQLITE_DONE)
    {
      /* A file damaged enough stops the check itself: that is a finding. */
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        {
          g_ptr_array_add (problems, g_strdup (sqlite3_errmsg (db->handle)));
          return g_steal_pointer (&problems);
        }
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      return NULL;
    }
  return g_steal_pointer (&problems);
}

/* fsync of a file or a folder, so a rename or a copy outlives a power cut. */
static gboolean
sync_path (const char *path,
           gboolean    directory,
           GError    **error)
{
  int fd = g_open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* An empty file, readable by its owner only, that must not exist yet. */
static gboolean
create_private (const char *path,
                GError    **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
relais_db_backup (RelaisDb   *db,
                  const char *dest,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db != NULL && dest != NULL, FALSE);

  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s existe déjà : choisissez un autre nom.", dest);
      return FALSE;
    }
  partial = g_strconcat (dest, ".partielle", NULL);
  /* A leftover of a copy cut short is ours to replace. */
  g_unlink (partial);
  if (!create_private (partial, error))
    return FALSE;
  /* The path is bound, not printed into the SQL: VACUUM INTO takes an
   * expression. One read transaction: a consistent snapshot, while the
   * hub goes on writing (WAL). */
  stmt = relais_db_prepare (db, "VACUUM INTO ?1", error);
  if (stmt == NULL)
    {
      g_unlink (partial);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, partial, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relais_db_set_error (db, RELAIS_DB_ERROR_QUERY, error);
      g_prefix_error (error, "Sauvegarde vers %s : ", dest);
      g_unlink (partial);
      return FALSE;
    }
  dir = g_path_get_dirname (dest);
  if (!sync_path (partial, FALSE, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  if (g_rename (partial, dest) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", dest, g_strerror (saved_errno));
      g_unlink (partial);
      return FALSE;
    }
  return sync_path (dir, TRUE, error);
}

/* Renames @path to @aside, if it exists. */
static gboolean
move_aside (const char *path,
            const char *aside,
            GError    **error)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_with_backup_api (RelaisDb   *src,
                      const char *dest,
                      GError    **error)
{
  sqlite3        *handle = NULL;
  sqlite3_backup *backup;
  int             rc;

  if (!create_private (dest, error))
    return FALSE;
  rc = sqlite3_open_v2 (dest, &handle, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (handle, "main", src->handle, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (handle);
      else
        {
          /* All at once: the source is a file nobody writes. */
          rc = sqlite3_backup_step (backup, -1);
          rc = sqlite3_backup_finish (backup) == SQLITE_OK && rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_QUERY, "Copie vers %s : %s", dest,
                   handle != NULL ? sqlite3_errmsg (handle) : sqlite3_errstr (rc));
      sqlite3_close (handle);
      g_unlink (dest);
      return FALSE;
    }
  sqlite3_close (handle);
  return sync_path (dest, FALSE, error);
}

gboolean
relais_db_restore (const char  *src,
                   const char  *dest,
                   RelaisDbKind kind,
                   char       **kept_aside,
                   GError     **error)
{
  g_autoptr(RelaisDb) source = NULL;
  g_autoptr(RelaisDb) restored = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char          *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char          *aside = g_strdup_printf ("%s.avant-restauration-%s", dest, stamp);
  g_autofree char          *dir = g_path_get_dirname (dest);
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_return_val_if_fail (src != NULL && dest != NULL, FALSE);

  if (kept_aside != NULL)
    *kept_aside = NULL;
  /* Everything is checked before anything moves. */
  source = relais_db_open_read_only (src, kind, error);
  if (source == NULL)
    return FALSE;
  problems = relais_db_integrity (source, FALSE, error);
  if (problems == NULL)
    return FALSE;
  if (problems->len > 0)
    {
      g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_INVALID,
                   "%s est abîmée (%s) : elle n'est pas restaurée.", src, (const char *) g_ptr_array_index (problems, 0));
      return FALSE;
    }

  /* The database in place, with its WAL (it may hold the last writes),
   * goes aside under one name: nothing is lost, and it can be put back. */
  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *from = g_strconcat (dest, suffixes[i], NULL);
          g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

          if (!move_aside (from, to, error))
            return FALSE;
        }
      if (kept_aside != NULL)
        *kept_aside = g_strdup (aside);
    }
  else
    {
      /* A stale -wal or -shm without its database would be read as the
       * new one's: away with them too. */
      for (guint i = 1; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *from = g_strconcat (dest, suffixes[i], NULL);
          g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

          if (!move_aside (from, to, error))
            return FALSE;
        }
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 || !copy_with_backup_api (source, dest, error)
      || !sync_path (dir, TRUE, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s : %s", dir, g_strerror (errno));
      /* The copy failed (a full disk…): what was in place goes back. */
      g_unlink (dest);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *from = g_strconcat (aside, suffixes[i], NULL);
          g_autofree char *to = g_strconcat (dest, suffixes[i], NULL);

          move_aside (from, to, NULL);
        }
      if (kept_aside != NULL)
        g_clear_pointer (kept_aside, g_free);
      return FALSE;
    }
  g_clear_pointer (&source, relais_db_close);
  /* Opened once as the program does: migrated to its schema, WAL on. */
  restored = relais_db_open (dest, kind, error);
  return restored != NULL;
}

struct _RelaisDbLock {
  int   fd;
  char *path;
};

RelaisDbLock *
relais_db_lock (const char *db_path,
                GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  RelaisDbLock    *lock;
  char             pid[32];
  int              fd;

  g_return_val_if_fail (db_path != NULL, NULL);

  path = g_strconcat (db_path, ".lock", NULL);
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", path, g_strerror (saved_errno));
      return NULL;
    }
  /* flock, not fcntl: SQLite's own fcntl locks on the database are not
   * disturbed, and the lock goes with the process however it ends. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int    saved_errno = errno;
      char   holder[32] = "";
      gssize n = pread (fd, holder, sizeof holder - 1, 0);

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        {
          if (n > 0)
            holder[n] = '\0';
          g_strstrip (holder);
          g_set_error (error, RELAIS_DB_ERROR, RELAIS_DB_ERROR_CONFLICT,
                       "Un hub tourne sur la base %s (processus %s).", db_path, *holder != '\0' ? holder : "?");
        }
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s : %s", path, g_strerror (saved_errno));
      return NULL;
    }
  g_snprintf (pid, sizeof pid, "%ld\n", (long) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, strlen (pid), 0) < 0)
    g_debug ("%s: %s", path, g_strerror (errno));
  lock = g_new0 (RelaisDbLock, 1);
  lock->fd = fd;
  lock->path = g_steal_pointer (&path);
  return lock;
}

void
relais_db_unlock (RelaisDbLock *lock)
{
  if (lock == NULL)
    return;
  /* The file stays: removing it would race with a process opening it. */
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}
