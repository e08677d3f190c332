/* relais-hub-tls.c: the hub's optional TLS: loading, pins, self-signed certificates (GnuTLS). */

#include "relais-hub-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

/* A self-signed certificate is pinned, so its expiry is never checked by
 * the links; it only has to outlive the machine. */
#define SELF_SIGNED_DAYS (20 * 365)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)

static void
datum_clear (gnutls_datum_t *datum)
{
  if (datum->data != NULL)
    gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (gnutls_datum_t, datum_clear)

/* Reads a PEM file named by the configuration key @key, with an error an
 * administrator can act on. */
static char *
read_pem (const char *path,
          const char *what,
          const char *key,
          gsize      *length,
          GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "%s : aucun fichier indiqué (paramètre « %s » de hub.conf ; "
                   "tls-certificate et tls-key vont ensemble)",
                   what, key);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, length, &local))
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS, "%s (%s = %s) %s", what, key, path,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? "est introuvable" : g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES) ? "est illisible : droits insuffisants"
                                                                                                                                                             : "est illisible");
      g_debug ("%s: %s", path, local->message);
      return NULL;
    }
  if (*length > RELAIS_HUB_MAX_PEM)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "%s (%s = %s) est trop grand pour un fichier PEM", what, key, path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* The first certificate of a PEM file: the hub's own, before any chain. */
static gnutls_x509_crt_t
import_certificate (const char *path,
                    GError    **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *pem = NULL;
  gnutls_datum_t   datum;
  gsize            length = 0;
  int              rc;

  pem = read_pem (path, "Le certificat TLS du hub", "tls-certificate", &length, error);
  if (pem == NULL)
    return NULL;
  datum.data = (unsigned char *) pem;
  datum.size = length;
  gnutls_x509_crt_init (&crt);
  rc = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM);
  if (rc < 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "Le certificat TLS du hub (tls-certificate = %s) n'est pas un certificat PEM valide (%s)",
                   path, gnutls_strerror (rc));
      return NULL;
    }
  return g_steal_pointer (&crt);
}

static gnutls_x509_privkey_t
import_key (const char *path,
            GError    **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_autofree char *pem = NULL;
  gnutls_datum_t   datum;
  gsize            length = 0;
  int              rc;

  pem = read_pem (path, "La clé TLS du hub", "tls-key", &length, error);
  if (pem == NULL)
    return NULL;
  datum.data = (unsigned char *) pem;
  datum.size = length;
  gnutls_x509_privkey_init (&key);
  /* No password: the hub starts unattended. */
  rc = gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0);
  explicit_bzero (pem, length);
  if (rc < 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "La clé TLS du hub (tls-key = %s) n'est pas une clé privée PEM lisible sans mot de passe (%s)",
                   path, gnutls_strerror (rc));
      return NULL;
    }
  return g_steal_pointer (&key);
}

gboolean
relais_hub_set_tls (RelaisHub  *self,
                    const char *cert_path,
                    const char *key_path,
                    GError    **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local = NULL;
  GSList  *listeners;
  gboolean listening;
  guchar   crt_id[64];
  guchar   key_id[64];
  size_t   crt_id_size = sizeof crt_id;
  size_t   key_id_size = sizeof key_id;

  g_return_val_if_fail (RELAIS_IS_HUB (self), FALSE);
  listeners = soup_server_get_listeners (self->server);
  listening = listeners != NULL;
  g_slist_free (listeners);
  g_return_val_if_fail (!listening, FALSE);

  crt = import_certificate (cert_path, error);
  if (crt == NULL)
    return FALSE;
  key = import_key (key_path, error);
  if (key == NULL)
    return FALSE;

  /* GIO loads any key with any certificate; the mistake would only show
   * as failed handshakes, station by station. Catch it here. */
  if (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256, crt_id, &crt_id_size) < 0
      || gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) < 0
      || crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "La clé TLS du hub (tls-key = %s) ne correspond pas à son certificat (tls-certificate = %s)",
                   key_path, cert_path);
      return FALSE;
    }

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &local);
  if (certificate == NULL)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "Le certificat TLS du hub (%s, %s) est refusé : %s", cert_path, key_path, local->message);
      return FALSE;
    }
  soup_server_set_tls_certificate (self->server, certificate);
  /* Given with each token enrolled by code: the client pins it. */
  g_free (self->tls_pin);
  self->tls_pin = relais_hub_tls_pin (cert_path, NULL);
  return TRUE;
}

char *
relais_hub_tls_pin (const char *cert_path,
                    GError    **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  g_auto(gnutls_datum_t) spki = { NULL, 0 };
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *base64 = NULL;
  guint8           digest[32];
  gsize            digest_len = sizeof digest;
  int              rc;

  crt = import_certificate (cert_path, error);
  if (crt == NULL)
    return NULL;
  gnutls_pubkey_init (&pubkey);
  if ((rc = gnutls_pubkey_import_x509 (pubkey, crt, 0)) < 0
      || (rc = gnutls_pubkey_export2 (pubkey, GNUTLS_X509_FMT_DER, &spki)) < 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "La clé publique du certificat %s est illisible (%s)", cert_path, gnutls_strerror (rc));
      return NULL;
    }
  /* curl's CURLOPT_PINNEDPUBLICKEY: SHA-256 of the DER SubjectPublicKeyInfo. */
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, spki.data, spki.size);
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_assert (digest_len == sizeof digest);
  base64 = g_base64_encode (digest, digest_len);
  return g_strconcat ("sha256//", base64, NULL);
}

/* Writes @data to @path, refusing to replace a file: a site's key is not
 * overwritten by a second run. */
static gboolean
write_new_file (const char           *path,
                const gnutls_datum_t *data,
                int                   mode,
                GError              **error)
{
  int   fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  gsize done = 0;
  int   saved;

  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS, "%s : %s", path,
                   saved == EEXIST ? "le fichier existe déjà (il n'est jamais remplacé)" : g_strerror (saved));
      return FALSE;
    }
  while (done < data->size)
    {
      gssize n = write (fd, data->data + done, data->size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_unlink (path);
          g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS, "%s : %s", path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      saved = errno;
      g_unlink (path);
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS, "%s : %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
relais_hub_tls_make_certificate (const char *cert_path,
                                 const char *key_path,
                                 const char *hostname,
                                 GError    **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_datum_t) key_pem = { NULL, 0 };
  g_auto(gnutls_datum_t) crt_pem = { NULL, 0 };
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  guint8       serial[16];
  time_t       now = time (NULL);
  int          rc;

  g_return_val_if_fail (cert_path != NULL && key_path != NULL, FALSE);
  g_return_val_if_fail (hostname != NULL && *hostname != '\0', FALSE);

  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f; /* a positive serial number, as RFC 5280 wants */
  serial[0] |= 0x01; /* with no leading zero byte */

  gnutls_x509_privkey_init (&key);
  gnutls_x509_crt_init (&crt);
  /* ECDSA P-256: quick to make, and every TLS client takes it. */
  if ((rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                          GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0))
          < 0
      || (rc = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0
      || (rc = gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600)) < 0
      || (rc = gnutls_x509_crt_set_expiration_time (crt, now + (time_t) SELF_SIGNED_DAYS * 24 * 3600)) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, hostname, strlen (hostname))) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "Relais", 6)) < 0
      || (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, hostname, strlen (hostname),
                                                     GNUTLS_FSAN_APPEND))
             < 0
      || (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                     GNUTLS_FSAN_APPEND))
             < 0
      || (rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback, sizeof loopback,
                                                     GNUTLS_FSAN_APPEND))
             < 0
      || (rc = gnutls_x509_crt_set_key (crt, key)) < 0
      || (rc = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0
      || (rc = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0
      || (rc = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0
      || (rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0
      || (rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem)) < 0
      /* PKCS#8 ("BEGIN PRIVATE KEY"): the form every reader takes. */
      || (rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &key_pem)) < 0)
    {
      g_set_error (error, RELAIS_HUB_ERROR, RELAIS_HUB_ERROR_TLS,
                   "Impossible de créer le certificat du hub (%s)", gnutls_strerror (rc));
      return FALSE;
    }

  /* The key first, readable by its owner alone. */
  if (!write_new_file (key_path, &key_pem, 0600, error))
    return FALSE;
  explicit_bzero (key_pem.data, key_pem.size);
  if (!write_new_file (cert_path, &crt_pem, 0644, error))
    {
      g_unlink (key_path);
      return FALSE;
    }
  return TRUE;
}
