/* test-mail-ui.h: what the files of test-mail-ui share: the hub, the
 * console and the station main () makes, helpers, and each file's cases. */
#pragma once

#include <poppler.h>

#include "mediator-mail.h"
#include "mediator-mail-templates.h"
#include "mediator-mail-people.h"
#include "mediator-window.h"
#include "relais-db-accounts.h"
#include "relais-db-mail.h"
#include "relais-db-mail-decisions.h"
#include "relais-db-mail-kinds.h"
#include "relais-hub-mail.h"
#include "relais-test-hub.h"
#include "relais-i18n.h"
#include "relais-test-ui.h"
#include "relais-test-util.h"
#include "station-application.h"
#include "station-mail-page.h"
#include "station-window.h"

extern RelaisTestHub   *hub;
extern RelaisLink      *console;
extern MediatorWindow  *window;
extern StationServices *services;
extern StationWindow   *station;

/* A person on the register, written in the hub's database. */
void                    add_person (const char *number, const char *surname, const char *first, const char *birth, const char *card);
/* The console's mail view has no call under way. */
gboolean                idle (gpointer data);
/* Waits until the view lists @n candidates, or @n letters waiting. */
void                    wait_candidates (MediatorMail *mail, guint n);
void                    wait_waiting (MediatorMail *mail, guint n);

/* test-mail-ui-register.c */
void                    test_register (void);
void                    test_register_morning (void);
void                    test_register_notice_parcel (void);
