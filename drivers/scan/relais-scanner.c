/* relais-scanner.c: the scanner interface the programs see, and its async wrapper. */

#include "relais-scanner.h"

/* Sheets one feeder batch may give: more than any feeder holds. */
#define RELAIS_SCAN_MAX_BATCH 500

G_DEFINE_QUARK (relais-scanner-error-quark, relais_scanner_error);

G_DEFINE_INTERFACE (RelaisScanner, relais_scanner, G_TYPE_OBJECT)

static void
relais_scanner_default_init (RelaisScannerInterface *iface)
{
}

/* For use inside g_return_val_if_fail () only. */
static gboolean
relais_scan_options_are_valid (const RelaisScanOptions *options)
{
  return options != NULL
         && options->mode >= RELAIS_SCAN_COLOR
         && options->mode <= RELAIS_SCAN_TEXT
         && options->source >= RELAIS_SCAN_SOURCE_DEFAULT
         && options->source <= RELAIS_SCAN_SOURCE_FEEDER
         && options->dpi > 0;
}

const char *
relais_scanner_get_label (RelaisScanner *self)
{
  RelaisScannerInterface *iface;

  g_return_val_if_fail (RELAIS_IS_SCANNER (self), NULL);

  iface = RELAIS_SCANNER_GET_IFACE (self);
  g_return_val_if_fail (iface->get_label != NULL, NULL);

  return iface->get_label (self);
}

gboolean
relais_scanner_has_feeder (RelaisScanner *self)
{
  RelaisScannerInterface *iface;

  g_return_val_if_fail (RELAIS_IS_SCANNER (self), FALSE);

  iface = RELAIS_SCANNER_GET_IFACE (self);
  return iface->has_feeder != NULL && iface->has_feeder (self);
}

GPtrArray *
relais_scanner_scan_batch (RelaisScanner           *self,
                           const RelaisScanOptions *options,
                           RelaisScanPageFunc       page_func,
                           gpointer                 page_data,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);

  g_return_val_if_fail (RELAIS_IS_SCANNER (self), NULL);
  g_return_val_if_fail (relais_scan_options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      RelaisPage *page = relais_scanner_scan_page (self, options, NULL, NULL, cancellable, &local_error);

      if (page == NULL)
        {
          /* The feeder ran out: the batch is complete. */
          if (pages->len > 0 && g_error_matches (local_error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DOCS))
            break;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_ptr_array_add (pages, page);
      if (page_func != NULL)
        page_func (page, pages->len - 1, page_data);
      /* A feeder that never runs dry is a broken one: stop somewhere. */
      if (options->source != RELAIS_SCAN_SOURCE_FEEDER || pages->len >= RELAIS_SCAN_MAX_BATCH)
        break;
    }

  return g_steal_pointer (&pages);
}

/**
 * relais_scanner_scan_page:
 *
 * Scans one page, blocking. Fails with a #RELAIS_SCANNER_ERROR whose
 * message can be shown to the resident as is.
 *
 * Returns: (transfer full): the page, or %NULL with @error set.
 */
RelaisPage *
relais_scanner_scan_page (RelaisScanner           *self,
                          const RelaisScanOptions *options,
                          RelaisScanProgress       progress,
                          gpointer                 progress_data,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  RelaisScannerInterface *iface;
  RelaisPage             *page;

  g_return_val_if_fail (RELAIS_IS_SCANNER (self), NULL);
  g_return_val_if_fail (relais_scan_options_are_valid (options), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = RELAIS_SCANNER_GET_IFACE (self);
  g_return_val_if_fail (iface->scan_page != NULL, NULL);

  page = iface->scan_page (self, options, progress, progress_data, cancellable, error);
  /* An implementation returns a page or sets the error, never both, never neither. */
  g_assert (page != NULL || error == NULL || *error != NULL);
  g_assert (page == NULL || error == NULL || *error == NULL);

  return page;
}

typedef struct
{
  RelaisScanOptions  options; /* a copy: the caller's may be on its stack */
  RelaisScanProgress progress;
  gpointer           progress_data;
} ScanData;

static void
relais_scanner_scan_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  RelaisScanner *self = source_object;
  ScanData      *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaisPage) page = NULL;

  page = relais_scanner_scan_page (self, &data->options, data->progress,
                                   data->progress_data, cancellable, &error);
  if (page == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) relais_page_unref);
}

/**
 * relais_scanner_scan_async:
 *
 * Runs relais_scanner_scan_page () in a worker thread. The task keeps a
 * reference to @self and a copy of @options until it completes.
 * @progress is called in the worker thread.
 */
void
relais_scanner_scan_async (RelaisScanner           *self,
                           const RelaisScanOptions *options,
                           RelaisScanProgress       progress,
                           gpointer                 progress_data,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  ScanData *data;

  g_return_if_fail (RELAIS_IS_SCANNER (self));
  g_return_if_fail (relais_scan_options_are_valid (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ScanData, 1);
  data->options = *options;
  data->progress = progress;
  data->progress_data = progress_data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relais_scanner_scan_async);
  g_task_set_name (task, "[relais] scan page");
  g_task_set_task_data (task, data, g_free);
  /* The scanner reports cancellation itself, as RELAIS_SCANNER_ERROR_CANCELLED
   * with a French message; without this GTask would replace that error
   * with G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, relais_scanner_scan_thread);
}

/* Returns: (transfer full): the page, or %NULL with @error set. */
RelaisPage *
relais_scanner_scan_finish (RelaisScanner *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RELAIS_IS_SCANNER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relais_scanner_scan_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
