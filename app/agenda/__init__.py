"""The programme: sessions, tracks, speakers and participants' session sign-ups."""
