/* mediator-help-outcome.c: the need and outcome taps of a taken request.
 * Each is a row of toggle buttons of which at most one is down (a second
 * tap on it lifts it: nothing said); the partner list shows with
 * « Orienté vers… ». */

#include "mediator-help-outcome.h"
#include "mediator-labels.h"
#include "relais-help-outcome.h"

#include <glib/gi18n.h>

struct _MediatorHelpOutcome {
  GtkBox      parent_instance;

  GtkWidget  *needs; /* GtkFlowBox of toggle buttons, data "word" */
  GtkWidget  *outcomes;
  GtkWidget  *partner; /* GtkComboBoxText, ids are the names */
  const char *need;    /* static words of relais_help_needs / _outcomes */
  const char *outcome;
  gboolean    syncing;
};

G_DEFINE_FINAL_TYPE (MediatorHelpOutcome, mediator_help_outcome, GTK_TYPE_BOX)

static void
lift_others (GtkWidget *container,
             GtkWidget *kept)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (container));

  for (GList *l = children; l != NULL; l = l->next)
    {
      /* Flow box children hold the buttons. */
      GtkWidget *button = gtk_bin_get_child (GTK_BIN (l->data));

      if (button != kept)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
    }
}

static void
toggled_cb (GtkToggleButton     *button,
            MediatorHelpOutcome *self)
{
  const char  *word = g_object_get_data (G_OBJECT (button), "word");
  gboolean     is_need = gtk_widget_is_ancestor (GTK_WIDGET (button), self->needs);
  const char **slot = is_need ? &self->need : &self->outcome;

  if (self->syncing)
    return;
  self->syncing = TRUE;
  if (gtk_toggle_button_get_active (button))
    {
      lift_others (is_need ? self->needs : self->outcomes, GTK_WIDGET (button));
      *slot = word;
    }
  else if (*slot == word)
    *slot = NULL;
  self->syncing = FALSE;
  gtk_widget_set_visible (self->partner, g_strcmp0 (self->outcome, RELAIS_HELP_OUTCOME_REFERRED) == 0);
}

static void
add_taps (MediatorHelpOutcome *self,
          GtkWidget           *flow,
          const char * const  *words,
          gboolean             needs)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char      *label = needs ? mediator_help_need_label (words[i]) : mediator_help_outcome_label (words[i]);
      g_autofree char *name = g_strdup_printf (needs ? _ ("Besoin : %s") : _ ("Résultat : %s"), label);
      GtkWidget       *button = gtk_toggle_button_new_with_label (label);

      g_object_set_data (G_OBJECT (button), "word", (gpointer) words[i]);
      atk_object_set_name (gtk_widget_get_accessible (button), name);
      gtk_widget_set_focus_on_click (button, FALSE);
      g_signal_connect_object (button, "toggled", G_CALLBACK (toggled_cb), self, 0);
      gtk_widget_show (button);
      gtk_container_add (GTK_CONTAINER (flow), button);
    }
}

static void
mediator_help_outcome_class_init (MediatorHelpOutcomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-help-outcome.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorHelpOutcome, needs);
  gtk_widget_class_bind_template_child (widget_class, MediatorHelpOutcome, outcomes);
  gtk_widget_class_bind_template_child (widget_class, MediatorHelpOutcome, partner);
}

static void
mediator_help_outcome_init (MediatorHelpOutcome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The words are the protocol's lists: the buttons come from them. */
  add_taps (self, self->needs, relais_help_needs, TRUE);
  add_taps (self, self->outcomes, relais_help_outcomes, FALSE);
}

GtkWidget *
mediator_help_outcome_new (void)
{
  return g_object_new (MEDIATOR_TYPE_HELP_OUTCOME, NULL);
}

void
mediator_help_outcome_set_partners (MediatorHelpOutcome *self,
                                    const char * const  *partners)
{
  g_autofree char *kept = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->partner)));

  g_return_if_fail (MEDIATOR_IS_HELP_OUTCOME (self));
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->partner));
  for (guint i = 0; partners != NULL && partners[i] != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->partner), partners[i], partners[i]);
  if (kept != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->partner), kept);
}

const char *
mediator_help_outcome_get_need (MediatorHelpOutcome *self)
{
  g_return_val_if_fail (MEDIATOR_IS_HELP_OUTCOME (self), NULL);
  return self->need;
}

const char *
mediator_help_outcome_get_outcome (MediatorHelpOutcome *self)
{
  g_return_val_if_fail (MEDIATOR_IS_HELP_OUTCOME (self), NULL);
  return self->outcome;
}

const char *
mediator_help_outcome_get_partner (MediatorHelpOutcome *self)
{
  g_return_val_if_fail (MEDIATOR_IS_HELP_OUTCOME (self), NULL);
  if (g_strcmp0 (self->outcome, RELAIS_HELP_OUTCOME_REFERRED) != 0)
    return NULL;
  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->partner));
}
