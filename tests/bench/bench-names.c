/* bench-names.c: names as a French register holds them, for the mail
 * benchmarks. */
#include "bench-names.h"

/* clang-format off */
const char * const bench_surnames[] = {
  "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
  "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
  "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Müller", "Lefebvre", "Faure", "André",
  "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
  "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
  "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
  "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
  "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
  "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
  "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
  "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
  "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
  "Le Gall", "Le Roux", "Le Goff", "Da Silva", "De la Fontaine", "Lévêque", "Lemaître", "Bénard", "Maréchal", "Étienne",
  "Diallo", "Traoré", "Koné", "Camara", "Touré", "Diop", "Ndiaye", "Sylla", "Cissé", "Keita",
  "Ben Ali", "Benali", "Haddad", "Mansouri", "Bouzid", "Rahmani", "Khelifi", "Amrani", "Saïdi", "Nguyen",
  "Tran", "Popescu", "Ionescu", "Kowalski", "Yilmaz", "Kaya", "Demir", "Mohamed", "Ahmed", "Hassan",
  "Ali", "Abdi", "Osman", "Kamara", "Bangura", "Diaby", "Coulibaly", "Sissoko", "Fofana", "Doumbia",
  "Sanogo", "Dembélé", "Konaté", "Baldé", "Barry", "Bah", "Sow", "Fall", "Gueye", "Mbaye",
  "Sarr", "Faye", "Kane", "Ba", "Dia", "Seck", "Niang", "Ndoye", "Dupond", "Lefevre",
  "Mohammed", "Mohamad", "Benhamou", "Belkacem", "Boumediene", "Ould Ahmed", "Abdel Kader", "Nkoulou", "Mbappé", "Okafor",
};
/* clang-format on */

/* clang-format off */
const char * const bench_first_names[] = {
  "Marie", "Jean", "Pierre", "Michel", "André", "Philippe", "Nathalie", "Isabelle", "Sylvie", "Catherine",
  "Françoise", "Christine", "Monique", "Nicolas", "Christophe", "Stéphane", "Sébastien", "Julien", "David", "Thomas",
  "Alexandre", "Camille", "Léa", "Chloé", "Emma", "Manon", "Inès", "Sarah", "Fatima", "Aïcha",
  "Mohamed", "Ahmed", "Youssef", "Karim", "Mamadou", "Moussa", "Ibrahima", "Oumar", "Abdoulaye", "Aminata",
  "Fatoumata", "Mariam", "Hawa", "Ousmane", "Amadou", "Sékou", "Kadiatou", "Jean-Pierre", "Jean-Claude", "Marie-Claire",
  "Anne-Sophie", "Hélène", "Gaëlle", "Noémie", "Zoé", "Loïc", "Jérôme", "Cédric", "Grégory", "Frédéric",
  "Benoît", "Joël", "Raphaël", "Mickaël", "Anaïs", "Éric", "Émilie", "Élodie", "Océane", "Maëlle",
  "Dmitri", "Olga", "Irina", "Andrei", "Ion", "Elena", "Ana", "Maria", "José", "Luis",
};
/* clang-format on */

const guint bench_n_surnames = G_N_ELEMENTS (bench_surnames);
const guint bench_n_first_names = G_N_ELEMENTS (bench_first_names);
