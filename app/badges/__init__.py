"""Badges: QR secrets, badge PDFs for participants and organisers, ``flask badges``."""
