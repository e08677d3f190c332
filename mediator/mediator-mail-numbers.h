/* mediator-mail-numbers.h: the day's numbers on A4, for the agents who
 * file the morning's letters in the cabinet: one line per person, in the
 * cabinet's order (user number), with the numbers to write on their
 * letters and a box to tick once filed. As a PDF, or printed. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @letters: the letters (RelaisMailLetter*) of the hub's
 * /mail/registered answer, already in the cabinet's order; @day:
 * "YYYY-MM-DD". */
gboolean mediator_mail_numbers_pdf (GPtrArray  *letters,
                                    const char *day,
                                    const char *path,
                                    GError    **error);
/* The same through GTK's print dialog (the console's printers), over
 * @parent; with @export_path, no dialog: what would be printed is written
 * there as PDF (tests). */
gboolean mediator_mail_numbers_print (GtkWindow  *parent,
                                      GPtrArray  *letters,
                                      const char *day,
                                      const char *export_path,
                                      GError    **error);

G_END_DECLS
