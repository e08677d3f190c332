/* relais-notify.h: messages to residents: SMS through any HTTP gateway,
 * e-mail through SMTP (STARTTLS when offered), both over libcurl. The
 * calls block: run them in a thread (relais_notify_send_async). */
#pragma once

#include <gio/gio.h>
#include "relais-config.h"

G_BEGIN_DECLS

#define RELAIS_NOTIFY_ERROR (relais_notify_error_quark ())
typedef enum {
  RELAIS_NOTIFY_ERROR_NOT_CONFIGURED = 1, /* no gateway or SMTP server set */
  RELAIS_NOTIFY_ERROR_UNREACHABLE,        /* network, timeout, TLS: try again */
  RELAIS_NOTIFY_ERROR_SERVER,             /* 5xx, 408, 429: try again */
  RELAIS_NOTIFY_ERROR_REJECTED,           /* 4xx, SMTP 5xx: retrying will not help */
} RelaisNotifyError;
GQuark relais_notify_error_quark (void);

/* Where and how to send. For the SMS gateway, {to} and {text} in @sms_url
 * are URL-encoded, and in @sms_body escaped for @sms_content_type (JSON
 * string, form field, or as is). @sms_auth is the Authorization header's
 * value ("Bearer …", "Basic …"), empty for none. */
typedef struct {
  const char *sms_url;
  const char *sms_method; /* "POST", "GET" or "PUT" */
  const char *sms_content_type;
  const char *sms_body;
  const char *sms_auth;
  const char *smtp_url; /* smtp://host:587 (STARTTLS if offered), smtps://host:465 */
  const char *smtp_from;
  const char *smtp_user;
  const char *smtp_password;
  gboolean    smtp_require_tls; /* refuse to send in clear */
  long        timeout_s;
} RelaisNotifySettings;

typedef struct _RelaisNotify RelaisNotify;

RelaisNotify                *relais_notify_new (const RelaisNotifySettings *settings);
/* From the [notify] group of the hub's configuration. */
RelaisNotify                *relais_notify_new_from_config (RelaisConfig *config);
RelaisNotify                *relais_notify_ref (RelaisNotify *self);
void                         relais_notify_unref (RelaisNotify *self);

gboolean                     relais_notify_send_sms (RelaisNotify *self,
                                                     const char   *to,
                                                     const char   *text,
                                                     GError      **error);
gboolean                     relais_notify_send_email (RelaisNotify *self,
                                                       const char   *to,
                                                       const char   *subject,
                                                       const char   *text,
                                                       GError      **error);
/* @channel "sms" or "email". */
gboolean                     relais_notify_send (RelaisNotify *self,
                                                 const char   *channel,
                                                 const char   *to,
                                                 const char   *subject,
                                                 const char   *text,
                                                 GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisNotify, relais_notify_unref)

G_END_DECLS
