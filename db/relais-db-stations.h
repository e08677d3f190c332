/* relais-db-stations.h: what the hub knows of each station's activity. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct _RelaisStationInfo {
  char    *name;
  char    *step;          /* the screen shown: "home", "scan", "help"… */
  gboolean in_session;    /* a resident is using it */
  gint64   since;         /* when the current step or session began, ms */
  gint64   ends_at;       /* the idle session ends then (countdown shown), ms; 0: no countdown */
  gint64   last_event_at; /* 0 when it never reported */
} RelaisStationInfo;

void relais_station_info_free (RelaisStationInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisStationInfo, relais_station_info_free)

/* Records @event, a station's report of its step made at event->at;
 * @ends_at: when its idle session will end (countdown on screen), 0 for
 * none. Reports arriving late (the outbox replaying after an outage)
 * never overwrite a newer one; a replayed key sets *duplicate. */
RelaisStationInfo *relais_db_station_report (RelaisDb              *db,
                                             const RelaisEventInfo *event,
                                             const char            *name,
                                             const char            *step,
                                             gboolean               in_session,
                                             gint64                 ends_at,
                                             gboolean              *duplicate,
                                             GError               **error);
/* Every enrolled station, with what it last reported, by name. */
GPtrArray         *relais_db_station_list (RelaisDb *db,
                                           GError  **error);
RelaisStationInfo *relais_db_station_get (RelaisDb   *db,
                                          const char *name,
                                          GError    **error);

G_END_DECLS
