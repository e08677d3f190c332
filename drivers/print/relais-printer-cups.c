/* relais-printer-cups.c: RelaisPrinter over CUPS 2.4 (destination API). */

#include "relais-printer.h"

#include <cups/cups.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* How long to wait for the scheduler to accept a connection. */
#define RELAIS_PRINTER_CUPS_CONNECT_TIMEOUT_MS 10000
/* The document goes to CUPS in pieces of this size. */
#define RELAIS_PRINTER_CUPS_CHUNK_SIZE (64 * 1024)

/* CUPS handles, each freed one way only. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (http_t, httpClose)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ipp_t, ippDelete)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cups_dinfo_t, cupsFreeDestInfo)

/* One destination alone, as cupsGetNamedDest () and cupsCopyDest () into an
 * empty array give it. */
static void
relais_cups_dest_free (cups_dest_t *dest)
{
  cupsFreeDests (1, dest);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cups_dest_t, relais_cups_dest_free)

/* cups_option_t and cups_dest_t arrays travel with their length. */
typedef struct
{
  int            num;
  cups_option_t *options;
} RelaisCupsOptions;

static void
relais_cups_options_clear (RelaisCupsOptions *options)
{
  cupsFreeOptions (options->num, options->options);
  options->num = 0;
  options->options = NULL;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelaisCupsOptions, relais_cups_options_clear)

typedef struct
{
  int          num;
  cups_dest_t *dests;
} RelaisCupsDests;

static void
relais_cups_dests_clear (RelaisCupsDests *dests)
{
  cupsFreeDests (dests->num, dests->dests);
  dests->num = 0;
  dests->dests = NULL;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelaisCupsDests, relais_cups_dests_clear)

#define RELAIS_TYPE_PRINTER_CUPS (relais_printer_cups_get_type ())
G_DECLARE_FINAL_TYPE (RelaisPrinterCups, relais_printer_cups, RELAIS, PRINTER_CUPS, GObject)

struct _RelaisPrinterCups {
  GObject      parent_instance;

  /* Owned */
  /* Never NULL once built, and read-only from then on, so print threads and
   * the main thread share it without a lock; it carries
   * printer-uri-supported.  Each call opens its own connection: an http_t
   * is not for two threads. */
  cups_dest_t *dest;
  char        *label;
};

static void relais_printer_cups_iface_init (RelaisPrinterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelaisPrinterCups, relais_printer_cups, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (RELAIS_TYPE_PRINTER, relais_printer_cups_iface_init))

static const char unreachable_message[] =
    N_ ("L'imprimante ne répond pas. Vérifiez qu'elle est allumée, puis réessayez. "
        "Si cela continue, prévenez un médiateur.");

/* IPP answers below 0x0200 are successes, some with remarks. */
static gboolean
relais_printer_cups_status_is_error (ipp_status_t status)
{
  return status >= IPP_STATUS_REDIRECTION_OTHER_SITE;
}

/* The one place where a CUPS status becomes a RelaisPrinterError: what the
 * resident reads, and what to do next.  The CUPS wording goes to the debug
 * log for the mediator. */
static void
relais_printer_cups_set_error (GError    **error,
                               const char *doing)
{
  ipp_status_t       status = cupsLastError ();
  const char        *detail = cupsLastErrorString ();
  RelaisPrinterError code;
  const char        *message;

  g_debug ("CUPS failed to %s: %s (%s)", doing, ippErrorString (status),
           detail != NULL ? detail : "");

  switch (status)
    {
    case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
    case IPP_STATUS_ERROR_TIMEOUT:
    case IPP_STATUS_ERROR_DEVICE:
    case IPP_STATUS_ERROR_CUPS_PKI:
    case IPP_STATUS_ERROR_CUPS_UPGRADE_REQUIRED:
      code = RELAIS_PRINTER_ERROR_UNREACHABLE;
      message = _ (unreachable_message);
      break;

    case IPP_STATUS_ERROR_NOT_FOUND:
    case IPP_STATUS_ERROR_GONE:
      code = RELAIS_PRINTER_ERROR_NO_PRINTER;
      message = _ ("Aucune imprimante n'est installée sur cette borne. Prévenez un médiateur.");
      break;

    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
    case IPP_STATUS_ERROR_PRINTER_IS_DEACTIVATED:
    case IPP_STATUS_ERROR_NOT_POSSIBLE:
      code = RELAIS_PRINTER_ERROR_REFUSED;
      message = _ ("L'imprimante n'accepte pas de documents pour le moment. Prévenez un médiateur.");
      break;

    case IPP_STATUS_ERROR_FORBIDDEN:
    case IPP_STATUS_ERROR_NOT_AUTHENTICATED:
    case IPP_STATUS_ERROR_NOT_AUTHORIZED:
    case IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED:
    case IPP_STATUS_ERROR_ACCOUNT_INFO_NEEDED:
    case IPP_STATUS_ERROR_ACCOUNT_CLOSED:
    case IPP_STATUS_ERROR_ACCOUNT_LIMIT_REACHED:
    case IPP_STATUS_ERROR_ACCOUNT_AUTHORIZATION_FAILED:
      code = RELAIS_PRINTER_ERROR_REFUSED;
      message = _ ("La borne n'a pas le droit d'imprimer sur cette imprimante. Prévenez un médiateur.");
      break;

    case IPP_STATUS_ERROR_BUSY:
    case IPP_STATUS_ERROR_TEMPORARY:
    case IPP_STATUS_ERROR_TOO_MANY_JOBS:
    case IPP_STATUS_ERROR_TOO_MANY_DOCUMENTS:
      code = RELAIS_PRINTER_ERROR_REFUSED;
      message = _ ("L'imprimante est occupée. Patientez quelques minutes, puis réessayez.");
      break;

    case IPP_STATUS_ERROR_REQUEST_ENTITY:
      code = RELAIS_PRINTER_ERROR_FILE;
      message = _ ("Ce document est trop volumineux pour être imprimé à la borne.");
      break;

    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED:
    case IPP_STATUS_ERROR_DOCUMENT_FORMAT_ERROR:
    case IPP_STATUS_ERROR_DOCUMENT_UNPRINTABLE:
    case IPP_STATUS_ERROR_DOCUMENT_PASSWORD:
    case IPP_STATUS_ERROR_DOCUMENT_PERMISSION:
    case IPP_STATUS_ERROR_DOCUMENT_SECURITY:
      code = RELAIS_PRINTER_ERROR_FILE;
      message = _ ("L'imprimante ne sait pas imprimer ce document. "
                   "Essayez avec un autre document, ou demandez de l'aide à un médiateur.");
      break;

    default:
      code = RELAIS_PRINTER_ERROR_FAILED;
      message = _ ("L'impression n'a pas pu être lancée. Réessayez ; "
                   "si cela continue, prévenez un médiateur.");
      break;
    }

  g_set_error_literal (error, RELAIS_PRINTER_ERROR, code, message);
}

/* A new connection to the scheduler (CUPS_SERVER, client.conf, or the local
 * socket), the one that holds our destinations.  Not cupsConnectDest (): it
 * connects to the host named in printer-uri-supported ("localhost"), and
 * cupsCopyDestInfo () then takes that connection for one to the device
 * itself unless its host is cupsServer () to the letter. */
static http_t *
relais_printer_cups_connect (GError **error)
{
  const char *server = cupsServer ();
  http_t     *http;

  http = httpConnect2 (server, ippPort (), NULL, AF_UNSPEC, cupsEncryption (), 1,
                       RELAIS_PRINTER_CUPS_CONNECT_TIMEOUT_MS, NULL);
  if (http == NULL)
    {
      g_debug ("Cannot connect to the CUPS scheduler at %s:%d", server, ippPort ());
      g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_UNREACHABLE,
                           _ (unreachable_message));
      return NULL;
    }

  return http;
}

/* @name, or the default destination, or else the first one. */
static cups_dest_t *
relais_printer_cups_find_dest (const char *name,
                               GError    **error)
{
  g_auto(RelaisCupsDests) dests = { 0, NULL };
  cups_dest_t *dest;
  cups_dest_t *copy = NULL;
  ipp_status_t status;

  dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, name, NULL);
  if (dest != NULL)
    return dest;

  status = cupsLastError ();
  if (name != NULL)
    {
      if (status == IPP_STATUS_ERROR_NOT_FOUND || !relais_printer_cups_status_is_error (status))
        {
          g_debug ("No destination called %s", name);
          g_set_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER,
                       _ ("L'imprimante « %s » n'est pas installée sur cette borne. Prévenez un médiateur."),
                       name);
        }
      else
        relais_printer_cups_set_error (error, "look up the destination");
      return NULL;
    }
  if (relais_printer_cups_status_is_error (status) && status != IPP_STATUS_ERROR_NOT_FOUND)
    {
      relais_printer_cups_set_error (error, "look up the default destination");
      return NULL;
    }

  /* No default destination: the first one will do. */
  dests.num = cupsGetDests2 (CUPS_HTTP_DEFAULT, &dests.dests);
  if (dests.num <= 0)
    {
      status = cupsLastError ();
      if (relais_printer_cups_status_is_error (status) && status != IPP_STATUS_ERROR_NOT_FOUND)
        relais_printer_cups_set_error (error, "list the destinations");
      else
        g_set_error_literal (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER,
                             _ ("Aucune imprimante n'est installée sur cette borne. Prévenez un médiateur."));
      return NULL;
    }

  g_debug ("No default destination, using %s", dests.dests[0].name);
  if (cupsCopyDest (&dests.dests[0], 0, &copy) != 1 || copy == NULL)
    g_error ("Out of memory copying a CUPS destination");
  return copy;
}

static const char *
relais_printer_cups_get_label (RelaisPrinter *printer)
{
  RelaisPrinterCups *self = RELAIS_PRINTER_CUPS (printer);

  return self->label;
}

/* Whether the destination takes @value for @option; when it cannot say, we
 * assume not, and print without the option rather than fail. */
static gboolean
relais_printer_cups_supports (RelaisPrinterCups *self,
                              http_t            *http,
                              cups_dinfo_t      *info,
                              const char        *option,
                              const char        *value)
{
  return cupsCheckDestSupported (http, self->dest, info, option, value) != 0;
}

/* Sends the one document of job @job_id. */
static gboolean
relais_printer_cups_send_document (RelaisPrinterCups *self,
                                   http_t            *http,
                                   cups_dinfo_t      *info,
                                   int                job_id,
                                   const char        *mime_type,
                                   GBytes            *document,
                                   GError           **error)
{
  const guint8 *data;
  gsize         size;

  g_assert (job_id > 0);

  /* No document-name: cupsd 2.4.2-3+deb12u10 (Debian 12's security update)
   * crashes on a Send-Document whose document-name holds a space, and every
   * later job of every station then fails.  The title travels as the
   * job-name (Create-Job), which is what queues and logs show anyway. */
  if (cupsStartDestDocument (http, self->dest, info, job_id, NULL, mime_type,
                             0, NULL, 1)
      != HTTP_STATUS_CONTINUE)
    {
      relais_printer_cups_set_error (error, "start the document");
      return FALSE;
    }

  data = g_bytes_get_data (document, &size);
  for (gsize offset = 0; offset < size; offset += RELAIS_PRINTER_CUPS_CHUNK_SIZE)
    {
      size_t chunk = MIN (RELAIS_PRINTER_CUPS_CHUNK_SIZE, size - offset);

      if (cupsWriteRequestData (http, (const char *) data + offset, chunk) != HTTP_STATUS_CONTINUE)
        {
          /* Finishing reads the scheduler's answer, hence the real status. */
          cupsFinishDestDocument (http, self->dest, info);
          relais_printer_cups_set_error (error, "send the document");
          return FALSE;
        }
    }

  if (relais_printer_cups_status_is_error (cupsFinishDestDocument (http, self->dest, info)))
    {
      relais_printer_cups_set_error (error, "finish the document");
      return FALSE;
    }

  return TRUE;
}

/* A job without its document would wait in the queue forever.  Best effort,
 * on a fresh connection: the error already set is the one the resident must
 * see. */
static void
relais_printer_cups_cancel_job (RelaisPrinterCups *self,
                                int                job_id)
{
  g_autoptr(http_t) http = relais_printer_cups_connect (NULL);

  if (http != NULL
      && relais_printer_cups_status_is_error (cupsCancelDestJob (http, self->dest, job_id)))
    g_debug ("Cannot cancel job %d: %s", job_id, cupsLastErrorString ());
}

static int
relais_printer_cups_print_bytes (RelaisPrinter            *printer,
                                 GBytes                   *document,
                                 const char               *mime_type,
                                 const char               *title,
                                 const RelaisPrintOptions *options,
                                 GError                  **error)
{
  RelaisPrinterCups *self = RELAIS_PRINTER_CUPS (printer);
  g_autoptr(http_t) http = NULL;
  g_autoptr(cups_dinfo_t) info = NULL;
  g_auto(RelaisCupsOptions) job_options = { 0, NULL };
  int copies = options != NULL && options->copies > 0 ? options->copies : 1;
  int job_id = 0;

  g_assert (document != NULL);
  g_assert (mime_type != NULL);

  if (title == NULL || *title == '\0')
    title = _ ("Document Relais");

  http = relais_printer_cups_connect (error);
  if (http == NULL)
    return 0;

  info = cupsCopyDestInfo (http, self->dest);
  if (info == NULL)
    {
      relais_printer_cups_set_error (error, "get the destination's capabilities");
      return 0;
    }

  if (copies > 1)
    {
      char value[16];

      g_snprintf (value, sizeof value, "%d", copies);
      if (!relais_printer_cups_supports (self, http, info, CUPS_COPIES, value))
        {
          g_set_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_REFUSED,
                       _ ("L'imprimante ne peut pas faire %d copies d'un coup. Demandez moins de copies."),
                       copies);
          return 0;
        }
      job_options.num = cupsAddOption (CUPS_COPIES, value, job_options.num, &job_options.options);
    }

  if (options != NULL && options->grayscale)
    {
      /* A black-and-white printer prints gray anyway: not an error. */
      if (relais_printer_cups_supports (self, http, info, CUPS_PRINT_COLOR_MODE,
                                        CUPS_PRINT_COLOR_MODE_MONOCHROME))
        job_options.num = cupsAddOption (CUPS_PRINT_COLOR_MODE, CUPS_PRINT_COLOR_MODE_MONOCHROME,
                                         job_options.num, &job_options.options);
      else
        g_debug ("%s has no monochrome mode, printing as is", self->dest->name);
    }

  if (options != NULL && options->page_ranges[0] != '\0')
    job_options.num = cupsAddOption ("page-ranges", options->page_ranges,
                                     job_options.num, &job_options.options);

  if (options != NULL && options->duplex)
    {
      if (relais_printer_cups_supports (self, http, info, CUPS_SIDES, CUPS_SIDES_TWO_SIDED_PORTRAIT))
        job_options.num = cupsAddOption (CUPS_SIDES, CUPS_SIDES_TWO_SIDED_PORTRAIT,
                                         job_options.num, &job_options.options);
      else
        g_debug ("%s cannot print on both sides, printing one-sided", self->dest->name);
    }

  if (relais_printer_cups_status_is_error (cupsCreateDestJob (http, self->dest, info, &job_id, title,
                                                              job_options.num, job_options.options)))
    {
      relais_printer_cups_set_error (error, "create the job");
      return 0;
    }
  g_assert (job_id > 0);

  if (!relais_printer_cups_send_document (self, http, info, job_id, mime_type,
                                          document, error))
    {
      relais_printer_cups_cancel_job (self, job_id);
      return 0;
    }

  g_debug ("Job %d sent to %s (%s, %" G_GSIZE_FORMAT " bytes, %d copies)",
           job_id, self->dest->name, mime_type, g_bytes_get_size (document), copies);
  return job_id;
}

static RelaisJobState
relais_printer_cups_job_state_from_ipp (ipp_jstate_t state)
{
  switch (state)
    {
    case IPP_JSTATE_PENDING:
      return RELAIS_JOB_PENDING;
    case IPP_JSTATE_HELD:
      return RELAIS_JOB_HELD;
    case IPP_JSTATE_PROCESSING:
      return RELAIS_JOB_PROCESSING;
    case IPP_JSTATE_STOPPED:
      return RELAIS_JOB_STOPPED;
    case IPP_JSTATE_CANCELED:
      return RELAIS_JOB_CANCELLED;
    case IPP_JSTATE_ABORTED:
      return RELAIS_JOB_ABORTED;
    case IPP_JSTATE_COMPLETED:
      return RELAIS_JOB_COMPLETED;
    default:
      return 0;
    }
}

static RelaisJobState
relais_printer_cups_get_job_state (RelaisPrinter *printer,
                                   int            job_id,
                                   GError       **error)
{
  RelaisPrinterCups *self = RELAIS_PRINTER_CUPS (printer);
  g_autoptr(http_t) http = NULL;
  g_autoptr(ipp_t) request = NULL;
  g_autoptr(ipp_t) response = NULL;
  const char      *printer_uri;
  ipp_attribute_t *attr;
  ipp_status_t     status;
  RelaisJobState   state;

  g_assert (job_id > 0);

  http = relais_printer_cups_connect (error);
  if (http == NULL)
    return 0;

  printer_uri = cupsGetOption ("printer-uri-supported", self->dest->num_options, self->dest->options);
  g_assert (printer_uri != NULL);

  request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, printer_uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "job-state");

  /* cupsDoRequest () frees the request. */
  response = cupsDoRequest (http, g_steal_pointer (&request), "/");
  status = cupsLastError ();
  if (status == IPP_STATUS_ERROR_NOT_FOUND)
    {
      g_debug ("Job %d not found on %s: %s", job_id, self->dest->name, cupsLastErrorString ());
      g_set_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_JOB,
                   _ ("L'impression n°%d est introuvable : elle a peut-être été annulée."), job_id);
      return 0;
    }
  if (response == NULL || relais_printer_cups_status_is_error (status))
    {
      relais_printer_cups_set_error (error, "get the job's state");
      return 0;
    }

  attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM);
  state = attr != NULL ? relais_printer_cups_job_state_from_ipp (ippGetInteger (attr, 0)) : 0;
  if (state == 0)
    {
      g_debug ("Job %d on %s: no usable job-state in the answer", job_id, self->dest->name);
      g_set_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_FAILED,
                   _ ("L'état de l'impression n°%d est inconnu. Demandez à un médiateur de vérifier l'imprimante."),
                   job_id);
      return 0;
    }

  return state;
}

static gboolean
relais_printer_cups_supports_option (RelaisPrinter *printer,
                                     const char    *option,
                                     const char    *value)
{
  RelaisPrinterCups *self = RELAIS_PRINTER_CUPS (printer);
  g_autoptr(http_t) http = relais_printer_cups_connect (NULL);
  g_autoptr(cups_dinfo_t) info = NULL;

  if (http == NULL)
    return FALSE;
  info = cupsCopyDestInfo (http, self->dest);
  return info != NULL && relais_printer_cups_supports (self, http, info, option, value);
}

static char *
relais_printer_cups_normalise_reason (const char *keyword)
{
  static const char * const suffixes[] = { "-error", "-warning", "-report" };

  /* A paused CUPS queue says "paused"; the resident's side of it is the
   * same as a stopped printer. */
  if (g_str_equal (keyword, "paused"))
    return g_strdup ("stopped");
  /* Backends report an unreachable printer as "offline-report": it stops
   * the printing all the same. */
  if (g_str_has_prefix (keyword, "offline"))
    return g_strdup ("offline");
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (keyword, suffixes[i]))
      {
        /* Warnings and reports do not stop the printer: tag them so that
         * no message matches them. */
        if (!g_str_equal (suffixes[i], "-error"))
          return g_strdup (keyword);
        return g_strndup (keyword, strlen (keyword) - strlen (suffixes[i]));
      }
  return g_strdup (keyword);
}

static GStrv
relais_printer_cups_dup_state_reasons (RelaisPrinter *printer,
                                       GError       **error)
{
  RelaisPrinterCups        *self = RELAIS_PRINTER_CUPS (printer);
  static const char * const wanted[] = { "printer-state", "printer-state-reasons" };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(http_t) http = NULL;
  g_autoptr(ipp_t) request = NULL;
  g_autoptr(ipp_t) response = NULL;
  ipp_attribute_t *attr;
  gboolean         stopped = FALSE;
  gboolean         said_stopped = FALSE;
  const char      *printer_uri;

  http = relais_printer_cups_connect (error);
  if (http == NULL)
    return NULL;

  printer_uri = cupsGetOption ("printer-uri-supported", self->dest->num_options, self->dest->options);
  g_assert (printer_uri != NULL);
  request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, printer_uri);
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                 G_N_ELEMENTS (wanted), NULL, wanted);
  response = cupsDoRequest (http, g_steal_pointer (&request), "/");
  if (response == NULL || relais_printer_cups_status_is_error (cupsLastError ()))
    {
      relais_printer_cups_set_error (error, "get the printer's state");
      return NULL;
    }

  attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM);
  stopped = attr != NULL && ippGetInteger (attr, 0) == IPP_PSTATE_STOPPED;

  attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD);
  for (int i = 0; attr != NULL && i < ippGetCount (attr); i++)
    {
      const char      *keyword = ippGetString (attr, i, NULL);
      g_autofree char *reason = NULL;

      if (keyword == NULL || g_str_equal (keyword, "none"))
        continue;
      reason = relais_printer_cups_normalise_reason (keyword);
      said_stopped |= g_str_equal (reason, "stopped");
      g_strv_builder_add (builder, reason);
    }
  /* Stopped without saying why: still stopped. */
  if (stopped && !said_stopped)
    g_strv_builder_add (builder, "stopped");

  return g_strv_builder_end (builder);
}

static void
relais_printer_cups_finalize (GObject *object)
{
  RelaisPrinterCups *self = RELAIS_PRINTER_CUPS (object);

  g_clear_pointer (&self->dest, relais_cups_dest_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (relais_printer_cups_parent_class)->finalize (object);
}

static void
relais_printer_cups_class_init (RelaisPrinterCupsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relais_printer_cups_finalize;
}

static void
relais_printer_cups_iface_init (RelaisPrinterInterface *iface)
{
  iface->get_label = relais_printer_cups_get_label;
  iface->print_bytes = relais_printer_cups_print_bytes;
  iface->get_job_state = relais_printer_cups_get_job_state;
  iface->supports = relais_printer_cups_supports_option;
  iface->dup_state_reasons = relais_printer_cups_dup_state_reasons;
}

static void
relais_printer_cups_init (RelaisPrinterCups *self)
{
}

RelaisPrinter *
relais_printer_cups_new (const char *destination,
                         GError    **error)
{
  g_autoptr(RelaisPrinterCups) self = NULL;
  g_autoptr(cups_dest_t) dest = NULL;
  const char *info;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (destination != NULL && *destination == '\0')
    destination = NULL;

  dest = relais_printer_cups_find_dest (destination, error);
  if (dest == NULL)
    return NULL;

  if (cupsGetOption ("printer-uri-supported", dest->num_options, dest->options) == NULL)
    {
      g_debug ("%s has no printer-uri-supported", dest->name);
      g_set_error (error, RELAIS_PRINTER_ERROR, RELAIS_PRINTER_ERROR_NO_PRINTER,
                   _ ("L'imprimante « %s » est mal installée. Prévenez un médiateur."), dest->name);
      return NULL;
    }

  self = g_object_new (RELAIS_TYPE_PRINTER_CUPS, NULL);
  info = cupsGetOption ("printer-info", dest->num_options, dest->options);
  self->label = g_strdup (info != NULL && *info != '\0' ? info : dest->name);
  self->dest = g_steal_pointer (&dest);

  g_debug ("Printing to %s (%s)", self->dest->name, self->label);
  return RELAIS_PRINTER (g_steal_pointer (&self));
}
