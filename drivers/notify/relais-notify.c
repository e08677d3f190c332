/* relais-notify.c: SMS through an HTTP gateway and e-mail through SMTP,
 * over libcurl; the caller decides about retries from the error code. */

#include "relais-notify.h"
#include "relais-buffer.h"

#include <curl/curl.h>
#include <string.h>

G_DEFINE_QUARK (relais-notify-error-quark, relais_notify_error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

/* Held in a g_atomic_rc_box: the hub's mail sender thread keeps a ref. */
struct _RelaisNotify {
  char    *sms_url;
  char    *sms_method;
  char    *sms_content_type;
  char    *sms_body;
  char    *sms_auth;
  char    *smtp_url;
  char    *smtp_from;
  char    *smtp_user;
  char    *smtp_password;
  gboolean smtp_require_tls;
  long     timeout_s;
};

RelaisNotify *
relais_notify_new (const RelaisNotifySettings *s)
{
  RelaisNotify *self;

  g_return_val_if_fail (s != NULL, NULL);

  self = g_atomic_rc_box_new0 (RelaisNotify);
  curl_global_init (CURL_GLOBAL_DEFAULT);
  self->sms_url = g_strdup (s->sms_url != NULL ? s->sms_url : "");
  self->sms_method = g_ascii_strup (s->sms_method != NULL && *s->sms_method != '\0' ? s->sms_method : "POST", -1);
  self->sms_content_type = g_strdup (s->sms_content_type != NULL ? s->sms_content_type : "application/json");
  self->sms_body = g_strdup (s->sms_body != NULL ? s->sms_body : "");
  self->sms_auth = g_strdup (s->sms_auth != NULL ? s->sms_auth : "");
  self->smtp_url = g_strdup (s->smtp_url != NULL ? s->smtp_url : "");
  self->smtp_from = g_strdup (s->smtp_from != NULL ? s->smtp_from : "");
  self->smtp_user = g_strdup (s->smtp_user != NULL ? s->smtp_user : "");
  self->smtp_password = g_strdup (s->smtp_password != NULL ? s->smtp_password : "");
  self->smtp_require_tls = s->smtp_require_tls;
  self->timeout_s = s->timeout_s > 0 ? s->timeout_s : 20;
  return self;
}

RelaisNotify *
relais_notify_new_from_config (RelaisConfig *config)
{
  RelaisNotifySettings s = {
    .sms_url = relais_config_get (config, "notify", "sms-url"),
    .sms_method = relais_config_get (config, "notify", "sms-method"),
    .sms_content_type = relais_config_get (config, "notify", "sms-content-type"),
    .sms_body = relais_config_get (config, "notify", "sms-body"),
    .sms_auth = relais_config_get (config, "notify", "sms-auth"),
    .smtp_url = relais_config_get (config, "notify", "smtp-url"),
    .smtp_from = relais_config_get (config, "notify", "smtp-from"),
    .smtp_user = relais_config_get (config, "notify", "smtp-user"),
    .smtp_password = relais_config_get (config, "notify", "smtp-password"),
    .smtp_require_tls = relais_config_get_bool (config, "notify", "smtp-require-tls"),
    .timeout_s = relais_config_get_int (config, "notify", "timeout-seconds"),
  };

  return relais_notify_new (&s);
}

RelaisNotify *
relais_notify_ref (RelaisNotify *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
notify_clear (RelaisNotify *self)
{
  g_free (self->sms_url);
  g_free (self->sms_method);
  g_free (self->sms_content_type);
  g_free (self->sms_body);
  g_free (self->sms_auth);
  g_free (self->smtp_url);
  g_free (self->smtp_from);
  g_free (self->smtp_user);
  if (self->smtp_password != NULL)
    memset (self->smtp_password, 0, strlen (self->smtp_password));
  g_free (self->smtp_password);
}

void
relais_notify_unref (RelaisNotify *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, (GDestroyNotify) notify_clear);
}

/* ---- the SMS gateway ---- */

static char *
json_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

typedef enum {
  ESCAPE_NONE,
  ESCAPE_URL,
  ESCAPE_JSON
} Escape;

/* Replaces {to} and {text} in @template, each value escaped for where it
 * lands: a gateway's JSON must stay JSON whatever the message says. */
static char *
fill (const char *template, const char *to, const char *text, Escape escape)
{
  GString *out = g_string_new (NULL);

  for (const char *p = template; *p != '\0';)
    {
      const char *value = NULL;

      if (g_str_has_prefix (p, "{to}"))
        value = to, p += 4;
      else if (g_str_has_prefix (p, "{text}"))
        value = text, p += 6;
      if (value == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      {
        g_autofree char *escaped = escape == ESCAPE_URL    ? g_uri_escape_string (value, NULL, FALSE)
                                   : escape == ESCAPE_JSON ? json_escape (value)
                                                           : g_strdup (value);
        g_string_append (out, escaped);
      }
    }
  return g_string_free (out, FALSE);
}

static gboolean
curl_failed (CURLcode code, const char *errbuf, const char *what, GError **error)
{
  g_set_error (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_UNREACHABLE, "%s : %s", what,
               errbuf[0] != '\0' ? errbuf : curl_easy_strerror (code));
  return FALSE;
}

gboolean
relais_notify_send_sms (RelaisNotify *self,
                        const char   *to,
                        const char   *text,
                        GError      **error)
{
  g_autoptr(CURL) curl = NULL;
  g_auto(RelaisBuffer) reply = { 0 };
  g_autofree char   *url = NULL;
  g_autofree char   *body = NULL;
  g_autofree char   *content_type = NULL;
  g_autofree char   *auth = NULL;
  struct curl_slist *headers = NULL;
  char               errbuf[CURL_ERROR_SIZE] = "";
  Escape             escape;
  CURLcode           code;
  long               status = 0;

  g_return_val_if_fail (self != NULL && to != NULL && text != NULL, FALSE);

  if (*self->sms_url == '\0')
    {
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_NOT_CONFIGURED,
                           "passerelle SMS non configurée (sms-url de hub.conf)");
      return FALSE;
    }
  if (strlen (text) > RELAIS_NOTIFY_MAX_TEXT)
    {
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_REJECTED, "message trop long");
      return FALSE;
    }
  escape = strstr (self->sms_content_type, "json") != NULL         ? ESCAPE_JSON
           : strstr (self->sms_content_type, "urlencoded") != NULL ? ESCAPE_URL
                                                                   : ESCAPE_NONE;
  url = fill (self->sms_url, to, text, ESCAPE_URL);
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_UNREACHABLE, "libcurl ne démarre pas");
      return FALSE;
    }
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, self->timeout_s);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  /* A chatty gateway is cut (the transfer fails), not believed. */
  relais_buffer_init (&reply, RELAIS_NOTIFY_MAX_REPLY);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, relais_buffer_write_cb);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &reply);
  if (!g_str_equal (self->sms_method, "GET"))
    {
      body = fill (self->sms_body, to, text, escape);
      content_type = g_strdup_printf ("Content-Type: %s", self->sms_content_type);
      headers = curl_slist_append (headers, content_type);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, self->sms_method);
    }
  if (*self->sms_auth != '\0')
    {
      auth = g_strdup_printf ("Authorization: %s", self->sms_auth);
      headers = curl_slist_append (headers, auth);
    }
  headers = curl_slist_append (headers, "Expect:");
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  code = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  if (code != CURLE_OK)
    return curl_failed (code, errbuf, "passerelle SMS injoignable", error);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300)
    return TRUE;
  g_set_error (error, RELAIS_NOTIFY_ERROR,
               status >= 500 || status == 408 || status == 429 ? RELAIS_NOTIFY_ERROR_SERVER : RELAIS_NOTIFY_ERROR_REJECTED,
               "la passerelle SMS répond %ld %.*s", status, (int) MIN (reply.data->len, 200), reply.data->str);
  return FALSE;
}

/* ---- e-mail ---- */

typedef struct {
  const char *data;
  gsize       left;
} Payload;

static size_t
payload_cb (char *buffer, size_t size, size_t n, void *user_data)
{
  Payload *payload = user_data;
  gsize    chunk = MIN (size * n, payload->left);

  memcpy (buffer, payload->data, chunk);
  payload->data += chunk;
  payload->left -= chunk;
  return chunk;
}

/* RFC 5322 date in English whatever the locale. */
static char *
mail_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *zone = g_date_time_format (now, "%z");

  return g_strdup_printf ("%s, %02d %s %d %02d:%02d:%02d %s",
                          days[g_date_time_get_day_of_week (now) - 1], g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1], g_date_time_get_year (now),
                          g_date_time_get_hour (now), g_date_time_get_minute (now),
                          g_date_time_get_second (now), zone);
}

static char *
build_message (const char *from, const char *to, const char *subject, const char *text)
{
  g_autofree char *date = mail_date ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *subject64 = g_base64_encode ((const guchar *) subject, strlen (subject));
  g_autofree char *body64 = g_base64_encode ((const guchar *) text, strlen (text));
  GString         *out = g_string_new (NULL);
  gsize            n = strlen (body64);

  g_string_append_printf (out,
                          "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@relais>\r\n"
                          "Subject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n",
                          date, from, to, id, subject64);
  for (gsize i = 0; i < n; i += 76)
    {
      g_string_append_len (out, body64 + i, MIN (76, n - i));
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/* The address lands in the SMTP envelope and a header: nothing that
 * could end a line or open another address. */
static gboolean
address_safe (const char *address)
{
  if (address == NULL || *address == '\0' || strchr (address, '@') == NULL)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || strchr ("<>,;\"()", *p) != NULL)
      return FALSE;
  return TRUE;
}

gboolean
relais_notify_send_email (RelaisNotify *self,
                          const char   *to,
                          const char   *subject,
                          const char   *text,
                          GError      **error)
{
  g_autoptr(CURL) curl = NULL;
  g_autofree char   *message = NULL;
  g_autofree char   *envelope_from = NULL;
  struct curl_slist *rcpt = NULL;
  char               errbuf[CURL_ERROR_SIZE] = "";
  Payload            payload;
  CURLcode           code;
  long               status = 0;

  g_return_val_if_fail (self != NULL && to != NULL && subject != NULL && text != NULL, FALSE);

  if (*self->smtp_url == '\0' || *self->smtp_from == '\0')
    {
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_NOT_CONFIGURED,
                           "serveur d'e-mail non configuré (smtp-url et smtp-from de hub.conf)");
      return FALSE;
    }
  if (!address_safe (to) || !address_safe (self->smtp_from) || strpbrk (subject, "\r\n") != NULL
      || strlen (text) > RELAIS_NOTIFY_MAX_TEXT)
    {
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_REJECTED, "adresse ou message invalide");
      return FALSE;
    }
  message = build_message (self->smtp_from, to, subject, text);
  payload.data = message;
  payload.left = strlen (message);
  envelope_from = g_strdup_printf ("<%s>", self->smtp_from);
  rcpt = curl_slist_append (rcpt, to);

  curl = curl_easy_init ();
  if (curl == NULL)
    {
      curl_slist_free_all (rcpt);
      g_set_error_literal (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_UNREACHABLE, "libcurl ne démarre pas");
      return FALSE;
    }
  curl_easy_setopt (curl, CURLOPT_URL, self->smtp_url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, self->timeout_s);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  /* STARTTLS whenever the server offers it; required if so configured. */
  curl_easy_setopt (curl, CURLOPT_USE_SSL, self->smtp_require_tls ? (long) CURLUSESSL_ALL : (long) CURLUSESSL_TRY);
  if (*self->smtp_user != '\0')
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, self->smtp_user);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, self->smtp_password);
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, envelope_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, payload_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &payload);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  code = curl_easy_perform (curl);
  curl_slist_free_all (rcpt);
  if (code == CURLE_OK)
    return TRUE;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  /* A 5xx SMTP reply (unknown mailbox…) will not change by retrying. */
  if (status >= 500 && (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_LOGIN_DENIED))
    {
      g_set_error (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_REJECTED, "le serveur d'e-mail refuse (%ld) : %s",
                   status, errbuf[0] != '\0' ? errbuf : curl_easy_strerror (code));
      return FALSE;
    }
  return curl_failed (code, errbuf, "serveur d'e-mail injoignable", error);
}

gboolean
relais_notify_send (RelaisNotify *self,
                    const char   *channel,
                    const char   *to,
                    const char   *subject,
                    const char   *text,
                    GError      **error)
{
  g_return_val_if_fail (channel != NULL, FALSE);

  if (g_str_equal (channel, "sms"))
    return relais_notify_send_sms (self, to, text, error);
  if (g_str_equal (channel, "email"))
    return relais_notify_send_email (self, to, subject, text, error);
  g_set_error (error, RELAIS_NOTIFY_ERROR, RELAIS_NOTIFY_ERROR_REJECTED, "canal inconnu « %s »", channel);
  return FALSE;
}
