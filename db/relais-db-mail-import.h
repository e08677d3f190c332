/* relais-db-mail-import.h: people brought in from a centre's former
 * register (relais-hub import-people), with their domiciliation's state
 * and dates, without a notice to anyone. */
#pragma once

#include "relais-db-mail.h"

G_BEGIN_DECLS

/* Adds @person (validated as relais_db_mail_person_save () does), refused
 * when their number is already in the register, with @state ("none",
 * "applied", "granted", "refused", "radiated", "expired") and, for
 * "granted" and "expired", @active_from and @active_to (YYYY-MM-DD),
 * recorded as decided by @by at @now. Sends nothing: these decisions were
 * told long ago. Meant inside a batch (relais_db_batch_begin ()): a
 * person refused (RELAIS_DB_ERROR_INVALID) leaves nothing written; any
 * other error leaves the batch to roll back. */
gboolean relais_db_mail_import_person (RelaisDb               *db,
                                       const RelaisMailPerson *person,
                                       const char             *state,
                                       const char             *active_from,
                                       const char             *active_to,
                                       const char             *by,
                                       gint64                  now,
                                       GError                **error);

/* Whether relais_db_mail_import_person () would take @person (the same
 * checks, the register read for their number; NULL: one to be given):
 * INVALID with the reason, nothing written. An import checks every row
 * this way first, then writes the good ones in several transactions. */
gboolean relais_db_mail_import_check (RelaisDb               *db,
                                      const RelaisMailPerson *person,
                                      const char             *state,
                                      const char             *active_from,
                                      const char             *active_to,
                                      GError                **error);

G_END_DECLS
