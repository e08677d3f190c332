# Makes an example of assets/config into the file installed in /etc/relais
# (assets/meson.build): a header, then every key commented out, so that the
# program's built-in default holds until the site uncomments it.
1i\
# Fichier installé par le paquet : décommentez une clé pour la changer.\
# « PROGRAMME --print-config » donne chaque clé, sa valeur par défaut et son sens.\
#
s/^\([a-z][a-z0-9-]*=\)/#\1/
