/* mediator-mail-contacts.c: the last contact, NPAI and forwarding of a
 * domiciled person, under the record's header (see the header). */

#include "mediator-mail-contacts.h"
#include "mediator-dates.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MediatorMailContacts {
  GtkBox     parent_instance;

  GtkWidget *label;
  GtkWidget *npai_check;
  GtkWidget *forward_address;
  GtkWidget *forward_from;
  gboolean   showing; /* npai_check set from a record, not a click */
};

G_DEFINE_FINAL_TYPE (MediatorMailContacts, mediator_mail_contacts, GTK_TYPE_BOX)

enum {
  SIGNAL_CONTACT,
  SIGNAL_NPAI,
  SIGNAL_FORWARD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
mediator_mail_contacts_show (MediatorMailContacts   *self,
                             const RelaisMailPerson *p)
{
  static const struct {
    const char *id;
    const char *label;
  } kinds[] = {
    { "pickup", N_ ("retrait de courrier") },
    { "visit", N_ ("visite sans courrier") },
    { "phone", N_ ("appel téléphonique") },
    { "kiosk", N_ ("vérification à la borne") },
  };
  const char      *kind = _ ("décision ou inscription");
  g_autofree char *contact = mediator_date_fr (p->last_contact, "—");
  g_autofree char *forward_from = mediator_date_fr (p->forward_from, "");
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (MEDIATOR_IS_MAIL_CONTACTS (self));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (p->last_contact_kind, kinds[i].id) == 0)
      kind = _ (kinds[i].label);
  g_string_append_printf (text, _ ("Dernier contact le %s : %s."), contact, kind);
  if (p->npai)
    g_string_append_printf (text, "\n%s", _ ("NPAI : les nouveaux courriers partent au retour."));
  if (p->forward_address != NULL)
    {
      g_autofree char *from = mediator_date_fr (p->forward_from, "—");

      g_string_append_printf (text, "\n");
      g_string_append_printf (text, _ ("Réexpédition à partir du %s vers : %s (courriers à réexpédier, pas à remettre)."),
                              from, p->forward_address);
    }
  gtk_label_set_text (GTK_LABEL (self->label), text->str);
  self->showing = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->npai_check), p->npai);
  self->showing = FALSE;
  gtk_entry_set_text (GTK_ENTRY (self->forward_address), p->forward_address != NULL ? p->forward_address : "");
  gtk_entry_set_text (GTK_ENTRY (self->forward_from), forward_from);
}

void
mediator_mail_contacts_clear (MediatorMailContacts *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_CONTACTS (self));
  gtk_label_set_text (GTK_LABEL (self->label), "");
  self->showing = TRUE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->npai_check), FALSE);
  self->showing = FALSE;
}

GtkWidget *
mediator_mail_contacts_get_entry (MediatorMailContacts *self,
                                  const char           *field)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_CONTACTS (self), NULL);
  if (g_strcmp0 (field, "forward_address") == 0)
    return self->forward_address;
  if (g_strcmp0 (field, "forward_from") == 0)
    return self->forward_from;
  g_return_val_if_reached (NULL);
}

const char *
mediator_mail_contacts_get_text (MediatorMailContacts *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_CONTACTS (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}

static void
visit_clicked_cb (MediatorMailContacts *self)
{
  g_signal_emit (self, signals[SIGNAL_CONTACT], 0, "visit");
}

static void
phone_clicked_cb (MediatorMailContacts *self)
{
  g_signal_emit (self, signals[SIGNAL_CONTACT], 0, "phone");
}

static void
npai_toggled_cb (MediatorMailContacts *self)
{
  if (!self->showing)
    g_signal_emit (self, signals[SIGNAL_NPAI], 0, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->npai_check)));
}

static void
forward_clicked_cb (MediatorMailContacts *self)
{
  g_signal_emit (self, signals[SIGNAL_FORWARD], 0);
}

static GtkWidget *
named_button (const char           *label,
              GCallback             clicked,
              MediatorMailContacts *self)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  g_signal_connect_swapped (button, "clicked", clicked, self);
  return button;
}

/* Who came or called, NPAI, forwarding. */
static void
mediator_mail_contacts_init (MediatorMailContacts *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *forward = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->label), TRUE);
  gtk_box_pack_start (GTK_BOX (self), self->label, FALSE, FALSE, 0);

  gtk_box_pack_start (GTK_BOX (row), named_button (_ ("Visite sans courrier"), G_CALLBACK (visit_clicked_cb), self),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (row), named_button (_ ("Appel téléphonique"), G_CALLBACK (phone_clicked_cb), self),
                      FALSE, FALSE, 0);
  self->npai_check = gtk_check_button_new_with_label (_ ("NPAI : n'habite pas à l'adresse indiquée"));
  g_signal_connect_swapped (self->npai_check, "toggled", G_CALLBACK (npai_toggled_cb), self);
  gtk_box_pack_start (GTK_BOX (row), self->npai_check, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), row, FALSE, FALSE, 0);

  self->forward_address = gtk_entry_new ();
  self->forward_from = gtk_entry_new ();
  label = gtk_label_new_with_mnemonic (_ ("Ré_expédier vers"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->forward_address);
  gtk_entry_set_width_chars (GTK_ENTRY (self->forward_address), 40);
  gtk_entry_set_max_length (GTK_ENTRY (self->forward_address), 200);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->forward_address), _ ("nouvelle adresse, sur une ligne"));
  atk_object_set_name (gtk_widget_get_accessible (self->forward_address), _ ("Nouvelle adresse de réexpédition"));
  gtk_box_pack_start (GTK_BOX (forward), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (forward), self->forward_address, TRUE, TRUE, 0);
  label = gtk_label_new_with_mnemonic (_ ("à partir du"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->forward_from);
  gtk_entry_set_width_chars (GTK_ENTRY (self->forward_from), 11);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->forward_from), _ ("JJ/MM/AAAA"));
  atk_object_set_name (gtk_widget_get_accessible (self->forward_from), _ ("Réexpédition à partir du"));
  gtk_box_pack_start (GTK_BOX (forward), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (forward), self->forward_from, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (forward),
                      named_button (_ ("Enregistrer la réexpédition"), G_CALLBACK (forward_clicked_cb), self), FALSE,
                      FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), forward, FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (self));
}

static void
mediator_mail_contacts_class_init (MediatorMailContactsClass *klass)
{
  signals[SIGNAL_CONTACT] = g_signal_new ("contact", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_NPAI] = g_signal_new ("npai", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_FORWARD] = g_signal_new ("forward", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 0);
}

GtkWidget *
mediator_mail_contacts_new (void)
{
  return g_object_new (MEDIATOR_TYPE_MAIL_CONTACTS, NULL);
}
