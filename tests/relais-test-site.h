/* relais-test-site.h: a small site that behaves like an administration's,
 * served over loopback by libsoup, for the browser's tests, journey and
 * benchmark (issue 14): a login form setting a session cookie, a page
 * reporting whether the browser still holds it (and a localStorage
 * value), a file-upload form that checks the bytes it receives, a PDF
 * attestation to download, a page calling window.print (), a pop-up, a
 * JavaScript alert and confirm, and the same site over TLS with a
 * self-signed certificate. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char    *url;       /* "http://127.0.0.1:PORT/" */
  char    *other_url; /* the same site as "http://localhost:PORT/": another host, for the block list */
  char    *tls_url;   /* "https://127.0.0.1:PORT/": a self-signed certificate */
  guint    n_logins;
  GBytes  *upload; /* the last file received by /upload, NULL before */
  char    *upload_name;
  GBytes  *attestation; /* what /attestation.pdf serves (one page; made once: a PDF holds its date) */
  /* Private */
  GObject *server;
  GObject *tls_server;
  char    *dir;
} RelaisTestSite;

/* Serves on the thread-default main context: the caller turns it
 * (relais_test_wait ()). */
RelaisTestSite *relais_test_site_new (void);
void            relais_test_site_free (RelaisTestSite *site);
/* The attestation /attestation.pdf serves (a one-page PDF). */
GBytes         *relais_test_site_attestation (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisTestSite, relais_test_site_free)

G_END_DECLS
