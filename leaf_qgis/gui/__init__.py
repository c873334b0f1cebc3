"""Small GUI pieces of the plugin (menu actions); imported only from ``initGui``, never by Processing."""
