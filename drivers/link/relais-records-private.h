/* relais-records-private.h: what the readers of the hub's answers share
 * (relais-records.c). Each sets RELAIS_LINK_ERROR_PROTOCOL with a
 * sentence naming the member when it is not of its type. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  _relais_record_refuse (const char *member,
                                 const char *what,
                                 GError    **error);
/* The member @name, or NULL when it is absent or null. */
JsonNode *_relais_record_value (JsonObject *object,
                                const char *name);
/* A string or nothing; with @required, a string that is not empty. */
gboolean  _relais_record_string (JsonObject *object,
                                 const char *name,
                                 gboolean    required,
                                 char      **out,
                                 GError    **error);
/* An integer, 0 when absent or null. */
gboolean  _relais_record_int (JsonObject *object,
                              const char *name,
                              gint64     *out,
                              GError    **error);
gboolean  _relais_record_small_int (JsonObject *object,
                                    const char *name,
                                    int        *out,
                                    GError    **error);
/* A positive integer, required. */
gboolean  _relais_record_id (JsonObject *object,
                             const char *name,
                             gint64     *out,
                             GError    **error);
gboolean  _relais_record_bool (JsonObject *object,
                               const char *name,
                               gboolean   *out,
                               GError    **error);

typedef gpointer (*RelaisRecordRead) (JsonObject *object, GError **error);
/* Every element of the array @member of @reply read by @read; absent or
 * null: an empty list. The first bad element fails the whole list. */
GPtrArray *_relais_record_list (JsonObject      *reply,
                                const char      *member,
                                RelaisRecordRead read,
                                GDestroyNotify   free_func,
                                GError         **error);

G_END_DECLS
