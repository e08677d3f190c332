/* relais-printer.c: the printer interface, its wrappers and file printing. */

#include "relais-printer.h"
#include "relais-protocol.h"
#include "relais-limits.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK (relais-printer-error-quark, relais_printer_error);

G_DEFINE_INTERFACE (RelaisPrinter, relais_printer, G_TYPE_OBJECT)

static void
relais_printer_default_init (RelaisPrinterInterface *iface)
{
}

const char *
relais_printer_get_label (RelaisPrinter *self)
{
  RelaisPrinterInterface *iface;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), NULL);

  iface = RELAIS_PRINTER_GET_IFACE (self);
  g_return_val_if_fail (iface->get_label != NULL, NULL);

  return iface->get_label (self);
}

int
relais_printer_print_bytes (RelaisPrinter            *self,
                            GBytes                   *document,
                            const char               *mime_type,
                            const char               *title,
                            const RelaisPrintOptions *options,
                            GError                  **error)
{
  RelaisPrinterInterface *iface;
  g_autoptr(GError) local_error = NULL;
  int job_id;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), 0);
  g_return_val_if_fail (document != NULL, 0);
  g_return_val_if_fail (mime_type != NULL && *mime_type != '\0', 0);
  g_return_val_if_fail (options == NULL || options->copies >= 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  iface = RELAIS_PRINTER_GET_IFACE (self);
  g_return_val_if_fail (iface->print_bytes != NULL, 0);

  if (options != NULL && !relais_printer_page_ranges_are_valid (options->page_ranges))
    {
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           _ ("Les pages demandées ne sont pas valables. Indiquez par exemple "
                              "« 1-3 » ou « 2,5 »."));
      return 0;
    }

  if (g_bytes_get_size (document) == 0)
    {
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           _ ("Le document est vide : il n'y a rien à imprimer."));
      return 0;
    }

  job_id = iface->print_bytes (self, document, mime_type, title, options, &local_error);
  /* The contract the implementations keep: a job id, or 0 and an error. */
  g_assert ((job_id > 0) == (local_error == NULL));
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return job_id;
}

/* The printable types, as CUPS names them, for what the content looks like;
 * NULL for anything else. */
static const char *
relais_printer_guess_mime_type (GBytes *contents)
{
  static const char * const printable[] = { "application/pdf", "image/jpeg", "image/png" };
  g_autofree char          *content_type = NULL;
  g_autofree char          *mime_type = NULL;
  gsize                     size;
  const guchar             *data = g_bytes_get_data (contents, &size);

  /* From the content only: given a name, GLib trusts the extension, and a
   * text called "lettre.pdf" would reach CUPS and fail there, far from the
   * resident. */
  content_type = g_content_type_guess (NULL, data, size, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (printable); i++)
    if (g_str_equal (mime_type, printable[i]))
      return printable[i];

  return NULL;
}

int
relais_printer_print_file (RelaisPrinter            *self,
                           const char               *path,
                           const char               *title,
                           const RelaisPrintOptions *options,
                           GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GBytes) document = NULL;
  const char *mime_type;
  GStatBuf    st;
  gsize       length = 0;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), 0);
  g_return_val_if_fail (path != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* Checked before reading: g_file_get_contents would load any size. */
  if (g_stat (path, &st) == 0 && st.st_size > RELAIS_PRINTER_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           _ ("Ce document est trop volumineux pour être imprimé à la borne."));
      return 0;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_debug ("Cannot read %s: %s", path, local_error->message);
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                               ? _ ("Le document à imprimer est introuvable. Il a peut-être été supprimé : recommencez depuis le début.")
                               : _ ("Le document à imprimer ne peut pas être lu. Demandez de l'aide à un médiateur."));
      return 0;
    }
  if (length > RELAIS_PRINTER_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           _ ("Ce document est trop volumineux pour être imprimé à la borne."));
      return 0;
    }
  document = g_bytes_new_take (g_steal_pointer (&contents), length);

  mime_type = relais_printer_guess_mime_type (document);
  if (mime_type == NULL)
    {
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FILE,
                           _ ("Ce document ne peut pas être imprimé : seuls les documents PDF et les images (JPEG, PNG) sont acceptés."));
      return 0;
    }

  if (title == NULL || *title == '\0')
    title = basename = g_path_get_basename (path);

  return relais_printer_print_bytes (self, document, mime_type, title, options, error);
}

RelaisJobState
relais_printer_get_job_state (RelaisPrinter *self,
                              int            job_id,
                              GError       **error)
{
  RelaisPrinterInterface *iface;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), 0);
  g_return_val_if_fail (job_id > 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  iface = RELAIS_PRINTER_GET_IFACE (self);
  g_return_val_if_fail (iface->get_job_state != NULL, 0);

  return iface->get_job_state (self, job_id, error);
}

gboolean
relais_printer_supports_duplex (RelaisPrinter *self)
{
  RelaisPrinterInterface *iface;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), FALSE);

  iface = RELAIS_PRINTER_GET_IFACE (self);
  return iface->supports != NULL
         && (iface->supports (self, "sides", "two-sided-long-edge")
             || iface->supports (self, "sides", "two-sided-short-edge"));
}

GStrv
relais_printer_dup_state_reasons (RelaisPrinter *self,
                                  GError       **error)
{
  RelaisPrinterInterface *iface;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = RELAIS_PRINTER_GET_IFACE (self);
  if (iface->dup_state_reasons == NULL)
    return g_new0 (char *, 1);
  return iface->dup_state_reasons (self, error);
}

/* The reasons that stop a resident's printing, each with what they can do
 * (usually: nothing but wait for a mediator, who is called by the station)
 * and the help request's reason it becomes: the IPP word stops here.
 * Synonyms share the mediators' label. */
static const struct
{
  const char         *reason;
  RelaisStationReason help_reason;
  const char         *message;
} printer_reasons[] = {
  { "media-empty", RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY,
    N_ ("L'imprimante n'a plus de papier. Un médiateur va en remettre.") },
  { "media-needed", RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY,
    N_ ("L'imprimante n'a plus de papier. Un médiateur va en remettre.") },
  { "media-jam", RELAIS_STATION_REASON_PRINTER_MEDIA_JAM,
    N_ ("Du papier est coincé dans l'imprimante. N'y touchez pas : un médiateur va s'en occuper.") },
  { "toner-empty", RELAIS_STATION_REASON_PRINTER_TONER_EMPTY,
    N_ ("L'imprimante n'a plus d'encre. Un médiateur va s'en occuper.") },
  { "marker-supply-empty", RELAIS_STATION_REASON_PRINTER_TONER_EMPTY,
    N_ ("L'imprimante n'a plus d'encre. Un médiateur va s'en occuper.") },
  { "door-open", RELAIS_STATION_REASON_PRINTER_DOOR_OPEN,
    N_ ("Une porte de l'imprimante est ouverte. Refermez-la doucement.") },
  { "cover-open", RELAIS_STATION_REASON_PRINTER_DOOR_OPEN,
    N_ ("Le capot de l'imprimante est ouvert. Refermez-le doucement.") },
  { "offline", RELAIS_STATION_REASON_PRINTER_OFFLINE,
    N_ ("L'imprimante est éteinte ou débranchée. Un médiateur va vérifier.") },
  { "stopped", RELAIS_STATION_REASON_PRINTER_STOPPED,
    N_ ("L'imprimante est arrêtée. Un médiateur va la remettre en marche.") },
  { "shutdown", RELAIS_STATION_REASON_PRINTER_OFFLINE,
    N_ ("L'imprimante est éteinte. Un médiateur va vérifier.") },
};

const char *
relais_printer_reason_get_message (const char *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (printer_reasons); i++)
    if (g_str_equal (reason, printer_reasons[i].reason))
      return _ (printer_reasons[i].message);
  return NULL;
}

char *
relais_printer_reason_dup_help_reason (const char *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (printer_reasons); i++)
    if (g_str_equal (reason, printer_reasons[i].reason))
      return g_strdup (relais_station_reason_to_string (printer_reasons[i].help_reason));
  return NULL;
}

gboolean
relais_printer_page_ranges_are_valid (const char *ranges)
{
  const char *p = ranges;
  gint64      last = 0;

  g_return_val_if_fail (ranges != NULL, FALSE);

  if (*p == '\0')
    return TRUE;
  for (;;)
    {
      char  *end = NULL;
      gint64 first, second;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      first = g_ascii_strtoll (p, &end, 10);
      p = end;
      second = first;
      if (*p == '-')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            return FALSE;
          second = g_ascii_strtoll (p, &end, 10);
          p = end;
        }
      if (first < 1 || second < first || first <= last || second > 100000)
        return FALSE;
      last = second;
      if (*p == '\0')
        return TRUE;
      if (*p != ',')
        return FALSE;
      p++;
    }
}

/* What the printing thread needs: copies, since the caller's strings and
 * options may be gone by then. */
typedef struct
{
  GBytes            *document;
  char              *mime_type;
  char              *title;
  RelaisPrintOptions options;
  gboolean           has_options;
} PrintData;

static void
print_data_free (PrintData *data)
{
  g_clear_pointer (&data->document, g_bytes_unref);
  g_clear_pointer (&data->mime_type, g_free);
  g_clear_pointer (&data->title, g_free);
  g_free (data);
}

static void
relais_printer_print_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable)
{
  PrintData *data = task_data;
  g_autoptr(GError) error = NULL;
  int job_id;

  /* Once the job is sent there is no taking it back here: cancelling only
   * works before. */
  if (g_task_return_error_if_cancelled (task))
    return;

  job_id = relais_printer_print_bytes (RELAIS_PRINTER (source_object),
                                       data->document, data->mime_type, data->title,
                                       data->has_options ? &data->options : NULL,
                                       &error);
  if (job_id == 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, job_id);
}

void
relais_printer_print_async (RelaisPrinter            *self,
                            GBytes                   *document,
                            const char               *mime_type,
                            const char               *title,
                            const RelaisPrintOptions *options,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  PrintData *data;

  g_return_if_fail (RELAIS_IS_PRINTER (self));
  g_return_if_fail (document != NULL);
  g_return_if_fail (mime_type != NULL && *mime_type != '\0');
  g_return_if_fail (options == NULL || options->copies >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (PrintData, 1);
  data->document = g_bytes_ref (document);
  data->mime_type = g_strdup (mime_type);
  data->title = g_strdup (title);
  if (options != NULL)
    {
      data->options = *options;
      data->has_options = TRUE;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relais_printer_print_async);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);
  g_task_run_in_thread (task, relais_printer_print_thread);
}

int
relais_printer_print_finish (RelaisPrinter *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  gssize job_id;

  g_return_val_if_fail (RELAIS_IS_PRINTER (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relais_printer_print_async, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  job_id = g_task_propagate_int (G_TASK (result), error);
  return job_id > 0 ? (int) job_id : 0;
}
