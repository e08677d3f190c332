/* mediator-application.h: the mediators' console application. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEDIATOR_TYPE_APPLICATION (mediator_application_get_type ())
G_DECLARE_FINAL_TYPE (MediatorApplication, mediator_application, MEDIATOR, APPLICATION, GtkApplication)

MediatorApplication *mediator_application_new (void);

G_END_DECLS
