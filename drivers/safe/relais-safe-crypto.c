/* relais-safe-crypto.c: keys from a PIN, documents as secretstreams. */

#include "relais-safe-crypto.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

G_DEFINE_QUARK (relais-safe-error-quark, relais_safe_error);

#define ENVELOPE_MAGIC     "RSF1"
#define KIND_WRAPPED       'K' /* document key wrapped by the safe key */
#define KIND_SEALED        'S' /* document key sealed to the box key */
#define CHUNK_BYTES        (64 * 1024)
#define WRAPPED_DK_BYTES   (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + RELAIS_SAFE_KEY_BYTES)
#define SEALED_DK_BYTES    (crypto_box_SEALBYTES + RELAIS_SAFE_KEY_BYTES)
#define WRAPPED_KEYS_BYTES (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 2 * RELAIS_SAFE_KEY_BYTES)
/* crypto_kdf contexts are exactly 8 characters. */
#define KDF_PIN_CONTEXT "RelaisPN"
#define KDF_DOC_CONTEXT "RelaisSF"

static void
ensure_sodium (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
}

gboolean
relais_safe_pin_valid (const char *pin)
{
  gsize n;

  if (pin == NULL)
    return FALSE;
  n = strlen (pin);
  if (n < 4 || n > 8)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

gboolean
relais_safe_derive_pin (const char        *pin,
                        const guint8      *salt,
                        RelaisSafePinKeys *out,
                        GError           **error)
{
  guint8 master[RELAIS_SAFE_KEY_BYTES];

  g_return_val_if_fail (pin != NULL && salt != NULL && out != NULL, FALSE);
  G_STATIC_ASSERT (RELAIS_SAFE_SALT_BYTES == crypto_pwhash_SALTBYTES);

  ensure_sodium ();
  if (crypto_pwhash (master, sizeof master, pin, strlen (pin), salt,
                     RELAIS_SAFE_KDF_OPSLIMIT, RELAIS_SAFE_KDF_MEMLIMIT,
                     crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_MEMORY,
                           _ ("Le poste manque de mémoire pour ouvrir le coffre."));
      return FALSE;
    }
  /* Two independent keys: knowing @auth (the hub's side) tells nothing
   * of @wrap. */
  crypto_kdf_derive_from_key (out->auth, sizeof out->auth, 1, KDF_PIN_CONTEXT, master);
  crypto_kdf_derive_from_key (out->wrap, sizeof out->wrap, 2, KDF_PIN_CONTEXT, master);
  sodium_memzero (master, sizeof master);
  return TRUE;
}

/* ---- the safe's keys ---- */

RelaisSafeKeys *
relais_safe_keys_new_random (void)
{
  RelaisSafeKeys *keys;

  ensure_sodium ();
  keys = sodium_malloc (sizeof *keys);
  g_assert (keys != NULL);
  randombytes_buf (keys->safe_key, sizeof keys->safe_key);
  crypto_box_keypair (keys->box_pk, keys->box_sk);
  return keys;
}

void
relais_safe_keys_free (RelaisSafeKeys *keys)
{
  /* sodium_free wipes the pages before releasing them. */
  if (keys != NULL)
    sodium_free (keys);
}

static void
key_encryption_key (guint8       *kek,
                    const guint8 *wrap,
                    const guint8 *hub_secret)
{
  /* Both halves needed: the PIN's (offline attack needs the hub) and the
   * hub's (released only after the attempt counter allows it). */
  crypto_generichash (kek, RELAIS_SAFE_KEY_BYTES, wrap, RELAIS_SAFE_KEY_BYTES,
                      hub_secret, RELAIS_SAFE_KEY_BYTES);
}

GBytes *
relais_safe_keys_wrap (const RelaisSafeKeys *keys,
                       const guint8         *wrap,
                       const guint8         *hub_secret)
{
  guint8  kek[RELAIS_SAFE_KEY_BYTES];
  guint8  plain[2 * RELAIS_SAFE_KEY_BYTES];
  guint8 *out = g_malloc (WRAPPED_KEYS_BYTES);

  g_return_val_if_fail (keys != NULL && wrap != NULL && hub_secret != NULL, NULL);

  key_encryption_key (kek, wrap, hub_secret);
  memcpy (plain, keys->safe_key, RELAIS_SAFE_KEY_BYTES);
  memcpy (plain + RELAIS_SAFE_KEY_BYTES, keys->box_sk, RELAIS_SAFE_KEY_BYTES);
  randombytes_buf (out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (out + crypto_secretbox_NONCEBYTES, plain, sizeof plain, out, kek);
  sodium_memzero (plain, sizeof plain);
  sodium_memzero (kek, sizeof kek);
  return g_bytes_new_take (out, WRAPPED_KEYS_BYTES);
}

static RelaisSafeKeys *
keys_from_plain (const guint8 *plain)
{
  RelaisSafeKeys *keys;

  ensure_sodium ();
  keys = sodium_malloc (sizeof *keys);
  g_assert (keys != NULL);
  memcpy (keys->safe_key, plain, RELAIS_SAFE_KEY_BYTES);
  memcpy (keys->box_sk, plain + RELAIS_SAFE_KEY_BYTES, RELAIS_SAFE_KEY_BYTES);
  crypto_scalarmult_base (keys->box_pk, keys->box_sk);
  return keys;
}

RelaisSafeKeys *
relais_safe_keys_unwrap (GBytes       *wrapped,
                         const guint8 *wrap,
                         const guint8 *hub_secret,
                         GError      **error)
{
  guint8          kek[RELAIS_SAFE_KEY_BYTES];
  guint8          plain[2 * RELAIS_SAFE_KEY_BYTES];
  gsize           length = 0;
  const guint8   *data = g_bytes_get_data (wrapped, &length);
  RelaisSafeKeys *keys;

  g_return_val_if_fail (wrapped != NULL && wrap != NULL && hub_secret != NULL, NULL);

  if (length != WRAPPED_KEYS_BYTES)
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT,
                           _ ("Les clés du coffre sont illisibles."));
      return NULL;
    }
  key_encryption_key (kek, wrap, hub_secret);
  if (crypto_secretbox_open_easy (plain, data + crypto_secretbox_NONCEBYTES,
                                  length - crypto_secretbox_NONCEBYTES, data, kek)
      != 0)
    {
      sodium_memzero (kek, sizeof kek);
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED,
                           _ ("Les clés du coffre ont été modifiées : il ne peut pas être ouvert."));
      return NULL;
    }
  keys = keys_from_plain (plain);
  sodium_memzero (plain, sizeof plain);
  sodium_memzero (kek, sizeof kek);
  return keys;
}

/* ---- documents ---- */

static void
document_subkey (guint8       *out,
                 guint64       id,
                 const guint8 *dk)
{
  crypto_kdf_derive_from_key (out, RELAIS_SAFE_KEY_BYTES, id, KDF_DOC_CONTEXT, dk);
}

GBytes *
relais_safe_seal_document (const RelaisSafeKeys *keys,
                           const guint8         *box_pk,
                           const char           *name,
                           GBytes               *plain,
                           GError              **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8                                      dk[RELAIS_SAFE_KEY_BYTES];
  guint8                                      sub[RELAIS_SAFE_KEY_BYTES];
  g_autoptr(GByteArray) out = NULL;
  gsize         length = 0;
  const guint8 *data = g_bytes_get_data (plain, &length);
  gsize         name_length;
  gsize         n_chunks;
  guint8        wk_length = keys != NULL ? WRAPPED_DK_BYTES : SEALED_DK_BYTES;
  guint8       *p;
  gsize         label_length;

  g_return_val_if_fail (plain != NULL, NULL);
  g_return_val_if_fail (keys != NULL || box_pk != NULL, NULL);

  ensure_sodium ();
  if (name == NULL)
    name = "";
  name_length = strlen (name);
  if (length > RELAIS_SAFE_MAX_DOCUMENT || name_length > RELAIS_SAFE_MAX_NAME)
    {
      g_set_error (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TOO_LARGE,
                   _ ("Document trop grand pour le coffre (%u Mo au plus)."),
                   RELAIS_SAFE_MAX_DOCUMENT / (1024 * 1024));
      return NULL;
    }

  label_length = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + name_length;
  n_chunks = length / CHUNK_BYTES + 1;
  out = g_byte_array_sized_new (4 + 2 + wk_length + 2 + label_length
                                + crypto_secretstream_xchacha20poly1305_HEADERBYTES
                                + length + n_chunks * crypto_secretstream_xchacha20poly1305_ABYTES);
  g_byte_array_set_size (out, 4 + 2 + wk_length + 2 + label_length
                                  + crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  p = out->data;
  memcpy (p, ENVELOPE_MAGIC, 4);
  p[4] = keys != NULL ? KIND_WRAPPED : KIND_SEALED;
  p[5] = wk_length;
  p += 6;

  /* A fresh key per document: changing the PIN re-wraps one key, not
   * every document, and a deposit can be made with the public key only. */
  crypto_secretstream_xchacha20poly1305_keygen (dk);
  if (keys != NULL)
    {
      randombytes_buf (p, crypto_secretbox_NONCEBYTES);
      crypto_secretbox_easy (p + crypto_secretbox_NONCEBYTES, dk, sizeof dk, p, keys->safe_key);
    }
  else
    crypto_box_seal (p, dk, sizeof dk, box_pk);
  p += wk_length;

  p[0] = label_length >> 8;
  p[1] = label_length & 0xff;
  p += 2;
  document_subkey (sub, 1, dk);
  randombytes_buf (p, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy (p + crypto_secretbox_NONCEBYTES, (const guint8 *) name, name_length, p, sub);
  p += label_length;

  document_subkey (sub, 2, dk);
  crypto_secretstream_xchacha20poly1305_init_push (&state, p, sub);
  for (gsize offset = 0;; offset += CHUNK_BYTES)
    {
      gsize    n = MIN (CHUNK_BYTES, length - offset);
      gboolean last = offset + n == length;
      guint    old = out->len;

      g_byte_array_set_size (out, old + n + crypto_secretstream_xchacha20poly1305_ABYTES);
      crypto_secretstream_xchacha20poly1305_push (&state, out->data + old, NULL, data + offset, n,
                                                  NULL, 0,
                                                  last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      if (last)
        break;
    }
  sodium_memzero (dk, sizeof dk);
  sodium_memzero (sub, sizeof sub);
  sodium_memzero (&state, sizeof state);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gsize
relais_safe_envelope_head_length (const guint8 *data,
                                  gsize         length)
{
  gsize wk_length;
  gsize label_length;

  if (length < 6 || memcmp (data, ENVELOPE_MAGIC, 4) != 0)
    return 0;
  wk_length = data[5];
  if ((data[4] == KIND_WRAPPED && wk_length != WRAPPED_DK_BYTES)
      || (data[4] == KIND_SEALED && wk_length != SEALED_DK_BYTES)
      || (data[4] != KIND_WRAPPED && data[4] != KIND_SEALED))
    return 0;
  if (length < 6 + wk_length + 2)
    return 0;
  label_length = (data[6 + wk_length] << 8) | data[6 + wk_length + 1];
  if (label_length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES
      || label_length > crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + RELAIS_SAFE_MAX_NAME)
    return 0;
  if (length < 6 + wk_length + 2 + label_length)
    return 0;
  return 6 + wk_length + 2 + label_length;
}

gboolean
relais_safe_envelope_is_deposit (GBytes *head)
{
  gsize         length = 0;
  const guint8 *data = g_bytes_get_data (head, &length);

  return relais_safe_envelope_head_length (data, length) > 0 && data[4] == KIND_SEALED;
}

static gboolean
format_error (GError **error)
{
  g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT,
                       _ ("Ce document est abîmé ou incomplet : il ne peut pas être ouvert."));
  return FALSE;
}

static gboolean
tampered_error (GError **error)
{
  g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED,
                       _ ("Ce document a été modifié depuis qu'il a été mis au coffre : "
                          "il n'est pas montré. Demandez de l'aide à l'accueil."));
  return FALSE;
}

/* The document key from a head already checked by head_length. */
static gboolean
unwrap_dk (const RelaisSafeKeys *keys,
           const guint8         *head,
           guint8               *dk,
           GError              **error)
{
  const guint8 *wk = head + 6;

  if (head[4] == KIND_WRAPPED)
    {
      if (crypto_secretbox_open_easy (dk, wk + crypto_secretbox_NONCEBYTES,
                                      WRAPPED_DK_BYTES - crypto_secretbox_NONCEBYTES, wk,
                                      keys->safe_key)
          != 0)
        return tampered_error (error);
    }
  else if (crypto_box_seal_open (dk, wk, SEALED_DK_BYTES, keys->box_pk, keys->box_sk) != 0)
    return tampered_error (error);
  return TRUE;
}

static char *
open_label (const guint8 *head,
            const guint8 *dk,
            GError      **error)
{
  gsize            wk_length = head[5];
  const guint8    *label = head + 6 + wk_length + 2;
  gsize            label_length = (head[6 + wk_length] << 8) | head[6 + wk_length + 1];
  gsize            name_length = label_length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
  guint8           sub[RELAIS_SAFE_KEY_BYTES];
  g_autofree char *name = g_malloc (name_length + 1);

  document_subkey (sub, 1, dk);
  if (crypto_secretbox_open_easy ((guint8 *) name, label + crypto_secretbox_NONCEBYTES,
                                  label_length - crypto_secretbox_NONCEBYTES, label, sub)
      != 0)
    {
      sodium_memzero (sub, sizeof sub);
      tampered_error (error);
      return NULL;
    }
  sodium_memzero (sub, sizeof sub);
  name[name_length] = '\0';
  if (!g_utf8_validate (name, name_length, NULL))
    {
      format_error (error);
      return NULL;
    }
  return g_steal_pointer (&name);
}

gboolean
relais_safe_document_key (const RelaisSafeKeys *keys,
                          GBytes               *head,
                          guint8               *dk,
                          GError              **error)
{
  gsize         length = 0;
  const guint8 *data;

  g_return_val_if_fail (keys != NULL && head != NULL && dk != NULL, FALSE);

  ensure_sodium ();
  data = g_bytes_get_data (head, &length);
  if (relais_safe_envelope_head_length (data, length) == 0)
    return format_error (error);
  return unwrap_dk (keys, data, dk, error);
}

char *
relais_safe_open_name_with_key (const guint8 *dk,
                                GBytes       *head,
                                GError      **error)
{
  gsize         length = 0;
  const guint8 *data;

  g_return_val_if_fail (dk != NULL && head != NULL, NULL);

  ensure_sodium ();
  data = g_bytes_get_data (head, &length);
  if (relais_safe_envelope_head_length (data, length) == 0)
    {
      format_error (error);
      return NULL;
    }
  return open_label (data, dk, error);
}

char *
relais_safe_open_name (const RelaisSafeKeys *keys,
                       GBytes               *head,
                       GError              **error)
{
  guint8 dk[RELAIS_SAFE_KEY_BYTES];
  char  *name;

  g_return_val_if_fail (keys != NULL && head != NULL, NULL);

  if (!relais_safe_document_key (keys, head, dk, error))
    return NULL;
  name = relais_safe_open_name_with_key (dk, head, error);
  sodium_memzero (dk, sizeof dk);
  return name;
}

GBytes *
relais_safe_open_document_with_key (const guint8 *key,
                                    GBytes       *envelope,
                                    char        **name,
                                    GError      **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize                                       length = 0;
  const guint8                               *data = g_bytes_get_data (envelope, &length);
  gsize                                       head_length;
  guint8                                      dk[RELAIS_SAFE_KEY_BYTES];
  guint8                                      sub[RELAIS_SAFE_KEY_BYTES];
  g_autoptr(GByteArray) out = NULL;
  g_autofree char *label = NULL;
  gsize            offset;
  gboolean         final = FALSE;
  gboolean         ok = TRUE;

  g_return_val_if_fail (key != NULL && envelope != NULL, NULL);

  ensure_sodium ();
  head_length = relais_safe_envelope_head_length (data, length);
  if (head_length == 0
      || length < head_length + crypto_secretstream_xchacha20poly1305_HEADERBYTES
                      + crypto_secretstream_xchacha20poly1305_ABYTES)
    {
      format_error (error);
      return NULL;
    }
  memcpy (dk, key, sizeof dk);
  label = open_label (data, dk, error);
  if (label == NULL)
    {
      sodium_memzero (dk, sizeof dk);
      return NULL;
    }

  document_subkey (sub, 2, dk);
  sodium_memzero (dk, sizeof dk);
  offset = head_length;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&state, data + offset, sub) != 0)
    {
      sodium_memzero (sub, sizeof sub);
      format_error (error);
      return NULL;
    }
  sodium_memzero (sub, sizeof sub);
  offset += crypto_secretstream_xchacha20poly1305_HEADERBYTES;

  out = g_byte_array_sized_new (length - offset);
  while (offset < length && ok)
    {
      gsize              n = MIN (CHUNK_BYTES + crypto_secretstream_xchacha20poly1305_ABYTES, length - offset);
      guint              old = out->len;
      unsigned long long written = 0;
      unsigned char      tag = 0;

      if (final || n < crypto_secretstream_xchacha20poly1305_ABYTES)
        {
          ok = FALSE; /* bytes after the final chunk */
          break;
        }
      g_byte_array_set_size (out, old + n - crypto_secretstream_xchacha20poly1305_ABYTES);
      if (crypto_secretstream_xchacha20poly1305_pull (&state, out->data + old, &written, &tag,
                                                      data + offset, n, NULL, 0)
          != 0)
        {
          ok = FALSE;
          break;
        }
      final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
      offset += n;
    }
  sodium_memzero (&state, sizeof state);
  if (!ok || !final)
    {
      /* Nothing half-decrypted goes back to the caller. */
      sodium_memzero (out->data, out->len);
      tampered_error (error);
      return NULL;
    }
  if (name != NULL)
    *name = g_steal_pointer (&label);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
relais_safe_open_document (const RelaisSafeKeys *keys,
                           GBytes               *envelope,
                           char                **name,
                           GError              **error)
{
  guint8  dk[RELAIS_SAFE_KEY_BYTES];
  GBytes *plain;

  g_return_val_if_fail (keys != NULL && envelope != NULL, NULL);

  /* The head is checked again by the second call: a short envelope is
   * refused here before any key is tried. */
  if (!relais_safe_document_key (keys, envelope, dk, error))
    return NULL;
  plain = relais_safe_open_document_with_key (dk, envelope, name, error);
  sodium_memzero (dk, sizeof dk);
  return plain;
}

/* ---- a set of document keys ---- */

/* Keys live in locked pages of KEYRING_SLAB keys each (sodium_malloc
 * costs guard pages per call, so not one call per key). */
#define KEYRING_SLAB 128

struct _RelaisSafeKeyring {
  GHashTable *index; /* document id → guint8* (a slot in a slab) */
  GPtrArray  *slabs; /* sodium_malloc'd, KEYRING_SLAB keys each */
  guint       n;
};

static void
slab_free (gpointer slab)
{
  sodium_free (slab);
}

RelaisSafeKeyring *
relais_safe_keyring_new (void)
{
  RelaisSafeKeyring *ring = g_new0 (RelaisSafeKeyring, 1);

  ensure_sodium ();
  ring->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ring->slabs = g_ptr_array_new_with_free_func (slab_free);
  return ring;
}

void
relais_safe_keyring_free (RelaisSafeKeyring *ring)
{
  if (ring == NULL)
    return;
  g_hash_table_unref (ring->index);
  /* sodium_free wipes each slab. */
  g_ptr_array_unref (ring->slabs);
  g_free (ring);
}

void
relais_safe_keyring_add (RelaisSafeKeyring *ring,
                         const char        *id,
                         const guint8      *dk)
{
  guint8 *slot;

  g_return_if_fail (ring != NULL && id != NULL && dk != NULL);

  slot = g_hash_table_lookup (ring->index, id);
  if (slot == NULL)
    {
      if (ring->n % KEYRING_SLAB == 0)
        {
          guint8 *slab = sodium_malloc (KEYRING_SLAB * RELAIS_SAFE_KEY_BYTES);

          g_assert (slab != NULL);
          g_ptr_array_add (ring->slabs, slab);
        }
      slot = (guint8 *) g_ptr_array_index (ring->slabs, ring->n / KEYRING_SLAB)
             + (ring->n % KEYRING_SLAB) * RELAIS_SAFE_KEY_BYTES;
      ring->n++;
      g_hash_table_insert (ring->index, g_strdup (id), slot);
    }
  memcpy (slot, dk, RELAIS_SAFE_KEY_BYTES);
}

const guint8 *
relais_safe_keyring_lookup (RelaisSafeKeyring *ring,
                            const char        *id)
{
  g_return_val_if_fail (ring != NULL, NULL);

  return id != NULL ? g_hash_table_lookup (ring->index, id) : NULL;
}

guint
relais_safe_keyring_get_size (RelaisSafeKeyring *ring)
{
  return ring != NULL ? g_hash_table_size (ring->index) : 0;
}

/* ---- the station ↔ hub channel ---- */

struct _RelaisSafeChannel {
  guint8 shared[crypto_box_BEFORENMBYTES];
};

static RelaisSafeChannel *
channel_alloc (void)
{
  RelaisSafeChannel *channel;

  ensure_sodium ();
  channel = sodium_malloc (sizeof *channel);
  g_assert (channel != NULL);
  return channel;
}

RelaisSafeChannel *
relais_safe_channel_new_client (const guint8 *hub_pk,
                                guint8       *ephemeral_pk_out)
{
  RelaisSafeChannel *channel = channel_alloc ();
  guint8             sk[crypto_box_SECRETKEYBYTES];

  crypto_box_keypair (ephemeral_pk_out, sk);
  if (crypto_box_beforenm (channel->shared, hub_pk, sk) != 0)
    randombytes_buf (channel->shared, sizeof channel->shared); /* a weak hub key: nothing will open */
  sodium_memzero (sk, sizeof sk);
  return channel;
}

RelaisSafeChannel *
relais_safe_channel_new_server (const guint8 *hub_sk,
                                const guint8 *ephemeral_pk,
                                GError      **error)
{
  RelaisSafeChannel *channel = channel_alloc ();

  if (crypto_box_beforenm (channel->shared, ephemeral_pk, hub_sk) != 0)
    {
      sodium_free (channel);
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT, "clé éphémère invalide");
      return NULL;
    }
  return channel;
}

void
relais_safe_channel_free (RelaisSafeChannel *channel)
{
  if (channel != NULL)
    sodium_free (channel);
}

char *
relais_safe_channel_seal (RelaisSafeChannel *channel,
                          const guint8      *data,
                          gsize              length)
{
  gsize              total = crypto_box_NONCEBYTES + crypto_box_MACBYTES + length;
  g_autofree guint8 *out = g_malloc (total);
  char              *text;

  randombytes_buf (out, crypto_box_NONCEBYTES);
  crypto_box_easy_afternm (out + crypto_box_NONCEBYTES, data, length, out, channel->shared);
  text = relais_safe_base64 (out, total);
  return text;
}

GBytes *
relais_safe_channel_open (RelaisSafeChannel *channel,
                          const char        *sealed,
                          GError           **error)
{
  g_autoptr(GBytes) raw = relais_safe_unbase64 (sealed, 0, error);
  gsize         length = 0;
  const guint8 *data;
  guint8       *plain;

  if (raw == NULL)
    return NULL;
  data = g_bytes_get_data (raw, &length);
  if (length < crypto_box_NONCEBYTES + crypto_box_MACBYTES)
    {
      format_error (error);
      return NULL;
    }
  plain = g_malloc (length - crypto_box_NONCEBYTES - crypto_box_MACBYTES + 1);
  if (crypto_box_open_easy_afternm (plain, data + crypto_box_NONCEBYTES, length - crypto_box_NONCEBYTES,
                                    data, channel->shared)
      != 0)
    {
      g_free (plain);
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_TAMPERED,
                           "message chiffré altéré");
      return NULL;
    }
  return g_bytes_new_take (plain, length - crypto_box_NONCEBYTES - crypto_box_MACBYTES);
}

/* ---- base64 ---- */

char *
relais_safe_base64 (const guint8 *data,
                    gsize         length)
{
  gsize size = sodium_base64_ENCODED_LEN (length, sodium_base64_VARIANT_ORIGINAL);
  char *text = g_malloc (size);

  ensure_sodium ();
  sodium_bin2base64 (text, size, data, length, sodium_base64_VARIANT_ORIGINAL);
  return text;
}

GBytes *
relais_safe_unbase64 (const char *text,
                      gsize       expected,
                      GError    **error)
{
  gsize              text_length;
  gsize              length = 0;
  g_autofree guint8 *out = NULL;

  ensure_sodium ();
  if (text == NULL)
    {
      format_error (error);
      return NULL;
    }
  text_length = strlen (text);
  out = g_malloc (text_length / 4 * 3 + 3);
  if (sodium_base642bin (out, text_length / 4 * 3 + 3, text, text_length, NULL, &length, NULL,
                         sodium_base64_VARIANT_ORIGINAL)
          != 0
      || (expected > 0 && length != expected))
    {
      g_set_error_literal (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_FORMAT, "base64 invalide");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&out), length);
}
